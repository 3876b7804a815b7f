using Cairn.Storage.Catalog;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Storage.Models;

/// <summary>The catalog's model rows: the queries behind the model registry.</summary>
public sealed class ModelRecords(CairnStore store)
{
    /// <summary>Whether a model of that name exists.</summary>
    public bool Exists(string name)
    {
        using var db = store.Catalog();
        return db.Models.Any(m => m.Name == name);
    }

    /// <summary>Adds a model row in the default workspace and returns it with its id.</summary>
    public ModelRow Add(ModelRow row)
    {
        using var db = store.Catalog();
        row.WorkspaceId = db.Workspaces.OrderBy(w => w.Id).Select(w => w.Id).First();
        db.Models.Add(row);
        db.SaveChanges();
        return row;
    }

    /// <summary>Every model, newest first.</summary>
    public IReadOnlyList<ModelRow> List()
    {
        using var db = store.Catalog();
        return db.Models.AsNoTracking().OrderByDescending(m => m.Id).ToList();
    }

    /// <summary>A model by name or numeric id.</summary>
    public ModelRow? Find(string nameOrId)
    {
        using var db = store.Catalog();
        var m = db.Models.AsNoTracking().FirstOrDefault(m => m.Name == nameOrId);
        if (m is null && long.TryParse(nameOrId, out var id))
        {
            m = db.Models.AsNoTracking().FirstOrDefault(m => m.Id == id);
        }

        return m;
    }

    /// <summary>A model by id.</summary>
    public ModelRow? Get(long id)
    {
        using var db = store.Catalog();
        return db.Models.AsNoTracking().FirstOrDefault(m => m.Id == id);
    }
}
