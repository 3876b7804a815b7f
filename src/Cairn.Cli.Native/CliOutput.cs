using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Cairn.Cli.Native;

/// <summary>Output both CLIs share: errors, sizes, and JSON documents (source-generated, so the native front can write them).</summary>
public static class CliOutput
{
    // The full CLI's CliContext.JsonOptions, less its reflection-based enum converter (no enums here).
    private static readonly CliJsonContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });

    /// <summary>A console on stderr, for messages that must not pollute --json output.</summary>
    public static IAnsiConsole Err { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>
    /// Sets up the consoles for this process: output to a file or pipe is not wrapped at 80 columns (Spectre's width
    /// without a terminal), so a line that a script or a log reads stays one line.
    /// </summary>
    public static void Configure()
    {
        const int unwrapped = 4096;
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = unwrapped;
        }

        if (Console.IsErrorRedirected)
        {
            Err.Profile.Width = unwrapped;
        }
    }

    /// <summary>Writes the result of `version create` as one JSON document on stdout.</summary>
    public static void PrintJson(VersionCreatedJson value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json.VersionCreatedJson));

    /// <summary>Writes the result of `version diff` as one JSON document on stdout.</summary>
    public static void PrintJson(VersionDiffJson value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json.VersionDiffJson));

    /// <summary>Writes the result of `project list` as one JSON document on stdout.</summary>
    public static void PrintJson(ProjectListJson value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json.ProjectListJson));

    /// <summary>Writes the result of `version list` as one JSON document on stdout.</summary>
    public static void PrintJson(VersionListJson value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json.VersionListJson));

    /// <summary>Writes the result of `import` as one JSON document on stdout.</summary>
    public static void PrintJson(ImportedJson value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json.ImportedJson));

    /// <summary>Writes an error to stderr (and, with --json, an error document to stdout) and returns the exit code.</summary>
    public static int Fail(bool json, string message, int code = 1)
    {
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new ErrorJson(message), Json.ErrorJson));
        }

        Err.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        return code;
    }

    /// <summary>A byte count for people (<see cref="Core.Text.ByteSize"/>, as the server's pages write it).</summary>
    public static string Bytes(long n) => Core.Text.ByteSize.Format(n);

    /// <summary>The message for a project name that names none.</summary>
    public static string NoProject(string name) => $"no project '{name}'. Run `cairn project list` to see the projects.";
}

/// <summary>An error document (--json).</summary>
public sealed record ErrorJson(string Error);

/// <summary>A version as the CLI prints it in JSON.</summary>
public sealed record VersionJson(long Id, int Number, string? Title, string? Description, string? Author, DateTime CreatedAt, string RootId, long Items, long Labels, long TotalBytes, long NewBytes)
{
    /// <summary>From a version's summary.</summary>
    public static VersionJson From(Storage.Versions.VersionSummary v) =>
        new(v.Id, v.Number, v.Title, v.Description, v.Author, v.CreatedAt, v.RootId.ToString(), v.Items, v.Labels, v.TotalBytes, v.NewBytes);
}

/// <summary>The result of `version create --json`.</summary>
public sealed record VersionCreatedJson(bool Created, string Project, VersionJson Version, long ElapsedMs);

/// <summary>A project named in a result: id and name.</summary>
public sealed record ProjectRefJson(long Id, string Name);

/// <summary>The result of `import --json`.</summary>
public sealed record ImportedJson(long Task, ProjectRefJson Project, int? Version, int Items, int Labels, int Classes, long Bytes, long NewBytes, double Seconds, IReadOnlyDictionary<string, double> StageSeconds, IReadOnlyList<string> Warnings, IReadOnlyList<string> NewClasses);

/// <summary>Counts of a diff.</summary>
public sealed record DiffSummaryJson(int Added, int Removed, int Changed, int ImagesChanged, int LabelsChanged);

/// <summary>The result of `version diff --json`.</summary>
public sealed record VersionDiffJson(string From, string To, bool MetaChanged, DiffSummaryJson Summary, IReadOnlyList<Storage.Versions.ClassDelta> Classes, IReadOnlyList<Storage.Versions.DiffItem> Added, IReadOnlyList<Storage.Versions.DiffItem> Removed, IReadOnlyList<Storage.Versions.ChangedItem> Changed);

/// <summary>A project as `project list --json` prints it.</summary>
public sealed record ProjectJson(long Id, string Name, string? Description, int Items, int Labels, int LatestVersion, DateTime CreatedAt);

/// <summary>The result of `project list --json`.</summary>
public sealed record ProjectListJson(IReadOnlyList<ProjectJson> Projects);

/// <summary>The result of `version list --json`.</summary>
public sealed record VersionListJson(string Project, IReadOnlyList<VersionJson> Versions);

[JsonSerializable(typeof(VersionCreatedJson))]
[JsonSerializable(typeof(ProjectListJson))]
[JsonSerializable(typeof(VersionListJson))]
[JsonSerializable(typeof(VersionDiffJson))]
[JsonSerializable(typeof(ImportedJson))]
[JsonSerializable(typeof(ErrorJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
