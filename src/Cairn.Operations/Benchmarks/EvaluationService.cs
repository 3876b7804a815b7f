using System.Text.Json;
using Cairn.Evaluation.Reports;
using Cairn.Storage;
using Cairn.Storage.Benchmarks;
using Cairn.Storage.Catalog;

namespace Cairn.Operations.Benchmarks;

/// <summary>Stored evaluations (benchmark results): listing, reading their metrics and reports, naming what they ran on.</summary>
public sealed class EvaluationService(CairnStore store)
{
    private readonly EvaluationRecords records = new(store);

    /// <summary>An evaluation by id.</summary>
    public EvaluationRow? Get(long id) => records.Get(id);

    /// <summary>Evaluations, newest first, of one model and/or one version when given.</summary>
    public IReadOnlyList<EvaluationRow> List(long? modelId = null, long? versionId = null) => records.List(modelId, versionId);

    /// <summary>Ids of the other evaluations on the same ground truth.</summary>
    public IReadOnlyList<long> SameGroundTruth(EvaluationRow evaluation) => records.SameGroundTruth(evaluation);

    /// <summary>An evaluation's metrics document.</summary>
    public static EvaluationMetrics Metrics(EvaluationRow evaluation) => JsonSerializer.Deserialize<EvaluationMetrics>(evaluation.MetricsJson, MetricsJson.Options)!;

    /// <summary>Every model's name by id.</summary>
    public IReadOnlyDictionary<long, string> ModelNames() => records.ModelNames();

    /// <summary>Every version with its project's name, by version id.</summary>
    public IReadOnlyDictionary<long, EvaluatedVersion> Versions() => records.Versions();

    /// <summary>The version an evaluation ran on, with its project's name; null when it has none (or it is gone).</summary>
    public EvaluatedVersion? Version(EvaluationRow evaluation) => evaluation.VersionId is { } v ? records.Version(v) : null;
}
