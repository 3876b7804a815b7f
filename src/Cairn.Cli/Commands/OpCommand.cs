using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Storage.Projects;
using Cairn.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;
using Cairn.Storage.Tasks;

namespace Cairn.Cli.Commands;

/// <summary>
/// `cairn op &lt;operation&gt; &lt;project&gt;[@N] --output NAME [--param key=value ...]`: runs a data operation as a tracked task
/// in this process (the same <see cref="TaskService"/> path the server's workers use), with a progress bar.
/// </summary>
public sealed class OpCommand : AsyncCommand<OpCommand.Settings>
{
    /// <summary>Options of op.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>The operation.</summary>
        [CommandArgument(0, "<operation>")]
        [Description("The operation: filter, augment, transform, generate, split, merge, copy-paste, predict or benchmark (docs/operations.md lists each one's parameters)")]
        public string Operation { get; init; } = string.Empty;

        /// <summary>The input.</summary>
        [CommandArgument(1, "[input]")]
        [Description("Input project, or project@N for a version. A changed working state is versioned first")]
        public string? Input { get; init; }

        /// <summary>Output project name.</summary>
        [CommandOption("-o|--output <NAME>")]
        [Description("Name of the new project the operation writes")]
        public string? Output { get; init; }

        /// <summary>Extra parameters.</summary>
        [CommandOption("-P|--param <KEY=VALUE>")]
        [Description("A parameter of the operation; VALUE is read as JSON when it parses (numbers, arrays, objects), else as text. Repeatable")]
        public string[] Params { get; init; } = [];

        /// <summary>Parameters from a JSON file.</summary>
        [CommandOption("--params <FILE>")]
        [Description("A JSON object file with the operation's parameters (--param entries override it)")]
        public string? ParamsFile { get; init; }

        /// <summary>Task title.</summary>
        [CommandOption("--title <TEXT>")]
        [Description("Title of the task on the graph")]
        public string? Title { get; init; }
    }

    /// <inheritdoc/>
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        JsonObject parameters;
        try
        {
            parameters = settings.ParamsFile is null ? [] : JsonNode.Parse(File.ReadAllText(settings.ParamsFile))?.AsObject() ?? [];
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException)
        {
            return CliContext.Fail(settings, $"{settings.ParamsFile}: expected a JSON object of parameters: {e.Message}");
        }

        if (settings.Input is not null)
        {
            parameters["input"] = settings.Input;
        }

        if (settings.Output is not null)
        {
            parameters["output"] = settings.Output;
        }

        foreach (var p in settings.Params)
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return CliContext.Fail(settings, $"--param '{p}': expected KEY=VALUE", 2);
            }

            parameters[p[..eq]] = ParseValue(p[(eq + 1)..]);
        }

        using var services = CliContext.Open(settings);
        var tasks = services.GetRequiredService<TaskService>();
        // No server may be watching this home: fail tasks a killed CLI left running, as the server's watchdog would.
        tasks.RecoverStale(Cairn.Tasks.Jobs.TaskWatchdog.MaxSilence);
        Storage.Catalog.TaskRow row;
        try
        {
            row = tasks.Create(new TaskRequest(settings.Operation, parameters, settings.Title, Author: Environment.UserName));
        }
        catch (TaskValidationException e)
        {
            return CliContext.Fail(settings, e.Message, 2);
        }

        using var ctrlC = CliTasks.CancelOnCtrlC(cancellationToken);
        var done = await CliTasks.RunWithProgressAsync(tasks, row, ctrlC.Token);
        return CliTasks.Report(settings, tasks, done);
    }

    private static JsonNode? ParseValue(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
