using System.ComponentModel;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>Options every command takes.</summary>
public class CairnSettings : CommandSettings
{
    /// <summary>The Cairn home folder.</summary>
    [CommandOption("--home <DIR>")]
    [Description("Cairn home folder (catalog and object store). Default: $CAIRN_HOME, else ./.cairn")]
    public string? Home { get; init; }

    /// <summary>A PostgreSQL catalog for a new home.</summary>
    [CommandOption("--catalog <CONNECTION>")]
    [Description("PostgreSQL catalog for a new home, e.g. \"Host=db;Database=cairn;Username=cairn\" (the home remembers it). Default: $CAIRN_CATALOG, else what the home recorded, else its own SQLite file")]
    public string? Catalog { get; init; }

    /// <summary>Print one JSON document on stdout instead of text.</summary>
    [CommandOption("--json")]
    [Description("Print the result as one JSON document on stdout")]
    public bool Json { get; init; }
}
