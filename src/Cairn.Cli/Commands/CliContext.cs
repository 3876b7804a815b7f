using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Storage;
using Cairn.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Cairn.Cli.Commands;

/// <summary>Shared helpers for commands: the services over the store, printing JSON, reporting errors.</summary>
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

    /// <summary>
    /// The CLI's composition root: the store named by the settings and every application service over it (opened when first
    /// resolved). Disposing it closes the store. <paramref name="configure"/> adds to it (the <c>run</c> kind, for one),
    /// <paramref name="listeners"/> to OpenLineage when CAIRN_OPENLINEAGE_URL is set.
    /// </summary>
    public static ServiceProvider Open(CairnSettings settings, Action<IServiceCollection>? configure = null, IEnumerable<ITaskListener>? listeners = null)
    {
        var services = new ServiceCollection().AddCairn(CairnStore.ResolveHome(settings.Home), settings.Catalog, listeners, settings.Store);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Writes one JSON document to stdout.</summary>
    public static void PrintJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>Writes an error to stderr (and, with --json, an error document to stdout) and returns the exit code.</summary>
    public static int Fail(CairnSettings settings, string message, int code = 1) => Native.CliOutput.Fail(settings.Json, message, code);

    /// <summary>A console on stderr, for progress and messages that must not pollute --json output.</summary>
    public static IAnsiConsole Err => Native.CliOutput.Err;
}
