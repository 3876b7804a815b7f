using System.ComponentModel;
using System.Text.Json.Nodes;
using Cairn.Core.Formats;
using Cairn.Server;
using Cairn.Server.Accounts;
using Cairn.Storage;
using Cairn.Tasks;
using Cairn.Tasks.Kinds;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;
using Cairn.Storage.Tasks;

namespace Cairn.Cli.Commands;

/// <summary>
/// `cairn run [--input P[@N] --format F]... [--outputs DIR] [--title T] -- COMMAND...`: runs an external program as a tracked task
/// (inputs written in the program's format, log streamed, output files recorded, exit status kept).
/// </summary>
public sealed class RunCommand : AsyncCommand<RunCommand.Settings>
{
    /// <summary>Options of run.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>Inputs.</summary>
        [CommandOption("-i|--input <PROJECT>")]
        [Description("An input project or project@N, written to disk before the command starts (repeatable). A changed working state is versioned first")]
        public string[] Inputs { get; init; } = [];

        /// <summary>Formats.</summary>
        [CommandOption("--format <FORMAT>")]
        [Description("Format to write the inputs in: yolo, coco, voc or supervisely (one for all inputs, or one per --input). Default yolo")]
        public string[] Formats { get; init; } = [];

        /// <summary>Output folder.</summary>
        [CommandOption("--outputs <DIR>")]
        [Description("Folder the command writes its results to (passed as CAIRN_OUTPUT_DIR); every file in it is recorded. Default: a new folder under the home")]
        public string? Outputs { get; init; }

        /// <summary>Title.</summary>
        [CommandOption("--title <TEXT>")]
        [Description("Title of the task on the workflow graph")]
        public string? Title { get; init; }

        /// <summary>API address.</summary>
        [CommandOption("--api <URL>")]
        [Description("Cairn server the command's client talks to (CAIRN_API). Default: $CAIRN_API, else a server started for the run on a free local port")]
        public string? Api { get; init; }
    }

    /// <inheritdoc/>
    public override ValidationResult Validate(CommandContext context, Settings settings)
    {
        foreach (var f in settings.Formats)
        {
            if (!DatasetFormats.Names.Contains(f, StringComparer.OrdinalIgnoreCase))
            {
                return ValidationResult.Error($"--format '{f}': expected one of {string.Join(", ", DatasetFormats.Names)}");
            }
        }

        if (settings.Formats.Length > 1 && settings.Formats.Length != settings.Inputs.Length)
        {
            return ValidationResult.Error($"{settings.Formats.Length} --format options for {settings.Inputs.Length} --input options: give one format for all, or one per input");
        }

        return context.Remaining.Raw.Count == 0 ? ValidationResult.Error("no command: put it after --, e.g. cairn run --input shapes -- python train.py") : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var home = CairnStore.ResolveHome(settings.Home);
        var echo = settings.Json ? (Action<string, bool>)((line, _) => Console.Error.WriteLine(line)) : (line, err) => (err ? Console.Error : Console.Out).WriteLine(line);
        using var services = CliContext.Open(settings, s => s.AddCairnAccounts().Services.AddSingleton<ITaskKind>(sp => ActivatorUtilities.CreateInstance<RunTaskKind>(sp, echo)));
        var tasks = services.GetRequiredService<TaskService>();
        var inputs = new JsonArray();
        for (var i = 0; i < settings.Inputs.Length; i++)
        {
            var format = settings.Formats.Length == 0 ? "yolo" : settings.Formats[Math.Min(i, settings.Formats.Length - 1)];
            inputs.Add(new JsonObject { ["spec"] = settings.Inputs[i], ["format"] = format.ToLowerInvariant() });
        }

        var api = settings.Api ?? Environment.GetEnvironmentVariable("CAIRN_API");
        Microsoft.AspNetCore.Builder.WebApplication? embedded = null;
        if (api is null)
        {
            // No server given: serve the workflow API for the command on a free loopback port while it runs.
            embedded = CairnServer.Build(new CairnServerOptions { Home = home, Urls = "http://127.0.0.1:0", RunJobs = false });
            await embedded.StartAsync(cancellationToken);
            api = embedded.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        }

        try
        {
            var parameters = new JsonObject
            {
                ["command"] = new JsonArray(context.Remaining.Raw.Select(a => (JsonNode)a!).ToArray()),
                ["inputs"] = inputs,
                ["api"] = api,
                ["workdir"] = Environment.CurrentDirectory,
            };
            if (settings.Outputs is not null)
            {
                parameters["outputs"] = Path.GetFullPath(settings.Outputs);
            }

            // No server may be watching this home: fail tasks a killed CLI left running, as the server's watchdog would.
            tasks.RecoverStale(Cairn.Tasks.Jobs.TaskWatchdog.MaxSilence);
            Storage.Catalog.TaskRow row;
            try
            {
                row = tasks.Create(new TaskRequest("run", parameters, settings.Title, Author: Environment.UserName));
            }
            catch (TaskValidationException e)
            {
                return CliContext.Fail(settings, e.Message, 2);
            }

            Console.Error.WriteLine($"cairn: task {row.Id} ({row.Title}); API {api}");
            // The command's own output streams to the console, so no progress bar here.
            using var ctrlC = CliTasks.CancelOnCtrlC(cancellationToken);
            var done = await tasks.RunAsync(row.Id, null, ctrlC.Token);
            return CliTasks.Report(settings, tasks, done);
        }
        finally
        {
            if (embedded is not null)
            {
                await embedded.StopAsync(CancellationToken.None);
                await embedded.DisposeAsync();
            }
        }
    }
}
