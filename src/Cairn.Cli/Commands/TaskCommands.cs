using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Cairn.Storage.Catalog;
using Cairn.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;
using Cairn.Storage.Tasks;

namespace Cairn.Cli.Commands;

/// <summary>`cairn task list|show|log|cancel`: the tasks of the home, as the server's Tasks page shows them.</summary>
public static class TaskCommands
{
    /// <summary>Registers the task branch.</summary>
    public static void Register(IConfigurator c)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.AddBranch("task", t =>
        {
            t.SetDescription("List tasks, show one with its inputs and outputs, print its log, cancel it");
            t.AddCommand<List>("list").WithDescription("List tasks, newest first: status, kind, times").WithExample("task", "list", "--status", "running");
            t.AddCommand<Show>("show").WithDescription("Show a task: parameters, status, times, inputs, outputs, result").WithExample("task", "show", "12");
            t.AddCommand<Log>("log").WithDescription("Print a task's log (--follow: until the task ends)").WithExample("task", "log", "12", "--follow");
            t.AddCommand<Cancel>("cancel").WithDescription("Ask a queued or running task to stop (as the web UI's Cancel button does)").WithExample("task", "cancel", "12");
        });
    }

    private static string Time(DateTime? t) => t?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";

    private static string Seconds(TaskRow t) => t.StartedAt is { } s ? $"{((t.EndedAt ?? DateTime.UtcNow) - s).TotalSeconds:0.0} s" : "-";

    private static string NotFound(long id) => $"no task {id}. Run `cairn task list` to see the tasks.";

    /// <summary>Options naming one task.</summary>
    public class TaskSettings : CairnSettings
    {
        /// <summary>Task id.</summary>
        [CommandArgument(0, "<task>")]
        [Description("Task id (see `cairn task list`)")]
        public long Task { get; init; }
    }

    /// <summary>`cairn task list`.</summary>
    public sealed class List : Command<List.Settings>
    {
        /// <summary>Options of list.</summary>
        public sealed class Settings : CairnSettings
        {
            /// <summary>Status filter.</summary>
            [CommandOption("--status <STATUS>")]
            [Description("Only tasks in this status: queued, running, succeeded, failed or cancelled")]
            public string? Status { get; init; }

            /// <summary>How many.</summary>
            [CommandOption("--limit <N>")]
            [Description("At most this many tasks (default 50)")]
            public int Limit { get; init; } = 50;
        }

        /// <inheritdoc/>
        public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            using var services = CliContext.Open(settings, listeners: []);
            var tasks = services.GetRequiredService<TaskRecords>().List(0, Math.Max(1, settings.Limit), settings.Status);
            if (settings.Json)
            {
                CliContext.PrintJson(new { tasks = tasks.Select(t => new { id = t.Id, kind = t.Kind, title = t.Title, status = t.Status, progress = t.Progress, createdAt = t.CreatedAt, startedAt = t.StartedAt, endedAt = t.EndedAt, error = t.Error }) });
                return 0;
            }

            if (tasks.Count == 0)
            {
                AnsiConsole.MarkupLine(Markup.Escape(settings.Status is null
                    ? "No tasks yet. Run one with `cairn op KIND ...`, `cairn run -- PROGRAM` or `cairn benchmark run MODEL PROJECT@N`."
                    : $"No {settings.Status} tasks. `cairn task list` lists all of them."));
                return 0;
            }

            var table = new Table().AddColumns("id", "kind", "title", "status", "created", "started", "took");
            foreach (var t in tasks)
            {
                table.AddRow($"{t.Id}", Markup.Escape(t.Kind), Markup.Escape(t.Title), t.Status == TaskStates.Running ? $"running {t.Progress:P0}" : t.Status, Time(t.CreatedAt), Time(t.StartedAt), Seconds(t));
            }

            AnsiConsole.Write(table);
            return 0;
        }
    }

    /// <summary>`cairn task show`.</summary>
    public sealed class Show : Command<TaskSettings>
    {
        /// <inheritdoc/>
        public override int Execute(CommandContext context, TaskSettings settings, CancellationToken cancellationToken)
        {
            using var services = CliContext.Open(settings, listeners: []);
            var service = services.GetRequiredService<TaskService>();
            if (service.Records.Get(settings.Task) is not { } t)
            {
                return CliContext.Fail(settings, NotFound(settings.Task));
            }

            if (settings.Json || t.Status is not (TaskStates.Running or TaskStates.Queued))
            {
                // The same report a command that ran the task prints at its end.
                var code = CliTasks.Report(settings, service, t);
                if (settings.Json)
                {
                    return code;
                }
            }

            AnsiConsole.MarkupLine($"[bold]Task {t.Id}[/] {Markup.Escape(t.Title)} ({Markup.Escape(t.Kind)}): {t.Status}{(t.Status == TaskStates.Running ? $" {t.Progress:P0} {Markup.Escape(t.ProgressMessage ?? "")}" : "")}");
            AnsiConsole.MarkupLine($"created {Time(t.CreatedAt)}, started {Time(t.StartedAt)}, ended {Time(t.EndedAt)} UTC; took {Seconds(t)}");
            AnsiConsole.MarkupLine($"parameters: {Markup.Escape(t.ParametersJson)}");
            var relations = new Table().AddColumns("direction", "kind", "node");
            foreach (var r in service.Records.Relations(t.Id))
            {
                relations.AddRow(r.Direction, Markup.Escape(r.NodeKind), Markup.Escape(r.Title ?? r.RefPath ?? $"{r.RefId}"));
            }

            if (relations.Rows.Count > 0)
            {
                AnsiConsole.Write(relations);
            }

            if (t.ResultJson is not null)
            {
                AnsiConsole.MarkupLine($"result: {Markup.Escape(t.ResultJson)}");
            }

            return 0;
        }
    }

    /// <summary>`cairn task log`.</summary>
    public sealed class Log : AsyncCommand<Log.Settings>
    {
        /// <summary>Options of log.</summary>
        public sealed class Settings : TaskSettings
        {
            /// <summary>Follow.</summary>
            [CommandOption("-f|--follow")]
            [Description("Keep printing new lines until the task ends")]
            public bool Follow { get; init; }
        }

        /// <inheritdoc/>
        public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            using var services = CliContext.Open(settings, listeners: []);
            var service = services.GetRequiredService<TaskService>();
            if (service.Records.Get(settings.Task) is null)
            {
                return CliContext.Fail(settings, NotFound(settings.Task));
            }

            long after = 0;
            while (true)
            {
                // The status is read before the lines, so the last lines of a task that just ended are printed too.
                var done = TaskStates.IsFinal(service.Records.Get(settings.Task)!.Status);
                foreach (var line in service.Records.Log(settings.Task, after, 10_000))
                {
                    Console.Out.WriteLine(settings.Json
                        ? JsonSerializer.Serialize(new { id = line.Id, time = line.Time, level = line.Level, message = line.Message }, CliContext.JsonOptions).ReplaceLineEndings(" ")
                        : $"{line.Time:HH:mm:ss} {line.Level,-5} {line.Message}");
                    after = line.Id;
                }

                if (!settings.Follow || done)
                {
                    return 0;
                }

                await Task.Delay(TaskService.PumpInterval, cancellationToken);
            }
        }
    }

    /// <summary>`cairn task cancel`.</summary>
    public sealed class Cancel : Command<TaskSettings>
    {
        /// <inheritdoc/>
        public override int Execute(CommandContext context, TaskSettings settings, CancellationToken cancellationToken)
        {
            using var services = CliContext.Open(settings, listeners: []);
            var service = services.GetRequiredService<TaskService>();
            if (service.Records.Get(settings.Task) is not { } t)
            {
                return CliContext.Fail(settings, NotFound(settings.Task));
            }

            // The server's POST /tasks/{id}/cancel does the same: the task's runner, in whichever process, sees the flag.
            if (!service.Records.RequestCancel(t.Id))
            {
                return CliContext.Fail(settings, $"task {t.Id} is {t.Status}: only queued or running tasks can be cancelled.");
            }

            if (settings.Json)
            {
                CliContext.PrintJson(new { id = t.Id, cancelRequested = true });
            }
            else
            {
                AnsiConsole.MarkupLine($"Asked task [bold]{t.Id}[/] {Markup.Escape(t.Title)} to stop; `cairn task show {t.Id}` shows when it has.");
            }

            return 0;
        }
    }
}
