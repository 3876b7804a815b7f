using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Storage;
using Spectre.Console;

namespace Cairn.Cli.Commands;

/// <summary>Shared helpers for commands: opening the store, printing JSON, reporting errors.</summary>
public static class CliContext
{
    /// <summary>JSON options for --json output: camelCase, indented, enums as strings.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Opens the store named by the settings.</summary>
    public static CairnStore OpenStore(CairnSettings settings) => CairnStore.Open(CairnStore.ResolveHome(settings.Home), catalog: settings.Catalog);

    /// <summary>Writes one JSON document to stdout.</summary>
    public static void PrintJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Writes an error to stderr (and, with --json, an error document to stdout) and returns the exit code.</summary>
    public static int Fail(CairnSettings settings, string message, int code = 1) => Native.CliOutput.Fail(settings.Json, message, code);

    /// <summary>A console on stderr, for progress and messages that must not pollute --json output.</summary>
    public static IAnsiConsole Err => Native.CliOutput.Err;
}
