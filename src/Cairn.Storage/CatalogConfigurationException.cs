namespace Cairn.Storage;

/// <summary>Why a home's catalog cannot be opened as asked.</summary>
public enum CatalogProblem
{
    /// <summary>The home records a PostgreSQL catalog and SQLite was asked for.</summary>
    RecordedPostgresNotSqlite,

    /// <summary>The home records one PostgreSQL catalog and another was asked for.</summary>
    RecordedPostgresNotAsked,

    /// <summary>The home has its SQLite file and PostgreSQL was asked for.</summary>
    SqliteCannotSwitch,

    /// <summary>The text asked for (<see cref="CatalogConfigurationException.RecordedIn"/> null) or recorded is not a PostgreSQL connection string.</summary>
    NotAConnectionString,
}

/// <summary>A home's catalog cannot be opened as asked; the data says why, and fronts word the remedy with their own flags.</summary>
public sealed class CatalogConfigurationException(CatalogProblem problem, string message, string? recordedIn = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What is wrong.</summary>
    public CatalogProblem Problem { get; } = problem;

    /// <summary>The file the home records its catalog in, where that file is the subject; null when the problem is the catalog asked for.</summary>
    public string? RecordedIn { get; } = recordedIn;
}
