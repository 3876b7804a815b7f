using Cairn.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Benchmarks;

/// <summary>The catalog's evaluation rows: the queries behind benchmark lists, pages and comparisons.</summary>
public sealed class EvaluationRecords(CairnStore store)
{
    /// <summary>Adds an evaluation row and returns it with its id.</summary>
    public EvaluationRow Add(EvaluationRow row)
    {
        using var db = store.Catalog();
        db.Evaluations.Add(row);
        db.SaveChanges();
        return row;
    }

    /// <summary>An evaluation by id.</summary>
    public EvaluationRow? Get(long id)
    {
        using var db = store.Catalog();
        return db.Evaluations.AsNoTracking().FirstOrDefault(e => e.Id == id);
    }

    /// <summary>Evaluations, newest first, of one model and/or one version when given.</summary>
    public IReadOnlyList<EvaluationRow> List(long? modelId = null, long? versionId = null)
    {
        using var db = store.Catalog();
        var q = db.Evaluations.AsNoTracking();
        if (modelId is { } m)
        {
            q = q.Where(e => e.ModelId == m);
        }

        if (versionId is { } v)
        {
            q = q.Where(e => e.VersionId == v);
        }

        return q.OrderByDescending(e => e.Id).ToList();
    }

    /// <summary>Ids of the other evaluations on the same ground truth as <paramref name="evaluation"/>.</summary>
    public IReadOnlyList<long> SameGroundTruth(EvaluationRow evaluation)
    {
        using var db = store.Catalog();
        return db.Evaluations.AsNoTracking().Where(o => o.GroundTruthFingerprint == evaluation.GroundTruthFingerprint && o.Id != evaluation.Id).Select(o => o.Id).ToList();
    }

    /// <summary>Every model's name by id.</summary>
    public IReadOnlyDictionary<long, string> ModelNames()
    {
        using var db = store.Catalog();
        return db.Models.AsNoTracking().ToDictionary(m => m.Id, m => m.Name);
    }

    /// <summary>Every version with its project's name, by version id.</summary>
    public IReadOnlyDictionary<long, EvaluatedVersion> Versions()
    {
        using var db = store.Catalog();
        return db.Versions.AsNoTracking().Join(db.Projects.AsNoTracking(), v => v.ProjectId, p => p.Id, (v, p) => new EvaluatedVersion(v.Id, v.Number, p.Id, p.Name)).ToDictionary(x => x.Id);
    }

    /// <summary>One version with its project's name.</summary>
    public EvaluatedVersion? Version(long versionId)
    {
        using var db = store.Catalog();
        return db.Versions.AsNoTracking().Where(v => v.Id == versionId).Join(db.Projects.AsNoTracking(), v => v.ProjectId, p => p.Id, (v, p) => new EvaluatedVersion(v.Id, v.Number, p.Id, p.Name)).FirstOrDefault();
    }
}
