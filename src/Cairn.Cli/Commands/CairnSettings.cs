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

    /// <summary>Print one JSON document on stdout instead of text.</summary>
    [CommandOption("--json")]
    [Description("Print the result as one JSON document on stdout")]
    public bool Json { get; init; }
}
