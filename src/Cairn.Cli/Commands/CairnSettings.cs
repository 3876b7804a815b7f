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

    /// <summary>An S3 object store for a new home.</summary>
    [CommandOption("--store <LOCATION>")]
    [Description("Object store for a new home, e.g. \"s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&path-style=true\" (the home remembers it; credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an AWS profile, never from here). Default: $CAIRN_STORE, else what the home recorded, else its own objects folder")]
    public string? Store { get; init; }

    /// <summary>Print one JSON document on stdout instead of text.</summary>
    [CommandOption("--json")]
    [Description("Print the result as one JSON document on stdout")]
    public bool Json { get; init; }
}
