using System.Data.Common;

namespace Cairn.Storage.Catalog;

/// <summary>
/// Plain SQL over a catalog connection, for the paths where EF Core's start-up (its service provider and the first
/// compile of each query) would cost more than the work: a CLI import or version create runs each query once.
/// Standard SQL only (RETURNING works in SQLite and PostgreSQL alike); the rows are the EF entities, so both paths
/// read and write the same shapes.
/// </summary>
internal static class Sql
{
    /// <summary>The columns <see cref="ReadProject"/> expects, in order.</summary>
    public const string ProjectColumns = "Id, WorkspaceId, Name, Description, MetaJson, ChangeSeq, OriginVersionId, CreatedByTaskId, CreatedAt, UpdatedAt";

    /// <summary>The columns <see cref="ReadVersion"/> expects, in order.</summary>
    public const string VersionColumns = "Id, ProjectId, Number, Title, Description, Author, CreatedAt, RootId, ChangeSeq, ItemCount, LabelCount, TotalBytes, NewBytes, StatsJson, CreatedByTaskId";

    /// <summary>A command with named parameters (null becomes SQL NULL) in <paramref name="tx"/>.</summary>
    public static DbCommand Command(DbConnection conn, DbTransaction? tx, string text, params (string Name, object? Value)[] parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = text;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }

    /// <summary>The first column of the first row, or null.</summary>
    public static object? Scalar(DbConnection conn, DbTransaction? tx, string text, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(conn, tx, text, parameters);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    /// <summary>The first row mapped by <paramref name="read"/>, or null.</summary>
    public static T? One<T>(DbConnection conn, DbTransaction? tx, Func<DbDataReader, T> read, string text, params (string Name, object? Value)[] parameters)
        where T : class
    {
        using var cmd = Command(conn, tx, text, parameters);
        using var r = cmd.ExecuteReader();
        return r.Read() ? read(r) : null;
    }

    /// <summary>Every row mapped by <paramref name="read"/>.</summary>
    public static List<T> Many<T>(DbConnection conn, DbTransaction? tx, Func<DbDataReader, T> read, string text, params (string Name, object? Value)[] parameters)
    {
        using var cmd = Command(conn, tx, text, parameters);
        using var r = cmd.ExecuteReader();
        var rows = new List<T>();
        while (r.Read())
        {
            rows.Add(read(r));
        }

        return rows;
    }

    /// <summary>A project row from <see cref="ProjectColumns"/>.</summary>
    public static ProjectRow ReadProject(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        WorkspaceId = r.GetInt64(1),
        Name = r.GetString(2),
        Description = r.IsDBNull(3) ? null : r.GetString(3),
        MetaJson = r.GetString(4),
        ChangeSeq = r.GetInt64(5),
        OriginVersionId = r.IsDBNull(6) ? null : r.GetInt64(6),
        CreatedByTaskId = r.IsDBNull(7) ? null : r.GetInt64(7),
        CreatedAt = Utc(r.GetDateTime(8)),
        UpdatedAt = Utc(r.GetDateTime(9)),
    };

    // Catalog times are written in UTC; SQLite returns them without a kind (as UtcDateTimeConverter reads them in EF).
    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);

    /// <summary>A version row from <see cref="VersionColumns"/>.</summary>
    public static VersionRow ReadVersion(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        ProjectId = r.GetInt64(1),
        Number = r.GetInt32(2),
        Title = r.IsDBNull(3) ? null : r.GetString(3),
        Description = r.IsDBNull(4) ? null : r.GetString(4),
        Author = r.IsDBNull(5) ? null : r.GetString(5),
        CreatedAt = Utc(r.GetDateTime(6)),
        RootId = (byte[])r.GetValue(7),
        ChangeSeq = r.GetInt64(8),
        ItemCount = r.GetInt64(9),
        LabelCount = r.GetInt64(10),
        TotalBytes = r.GetInt64(11),
        NewBytes = r.GetInt64(12),
        StatsJson = r.GetString(13),
        CreatedByTaskId = r.IsDBNull(14) ? null : r.GetInt64(14),
    };
}
