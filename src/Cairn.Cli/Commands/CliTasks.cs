using Cairn.Cli.Native;
using Cairn.Storage.Catalog;
using Cairn.Tasks;
using Spectre.Console;
using Cairn.Storage.Tasks;

namespace Cairn.Cli.Commands;

/// <summary>Running a task in the CLI process: kinds, lineage listeners, a progress bar fed by the task, and the final report.</summary>
public static class CliTasks
{
    /// <summary>
    /// A token cancelled by the first Ctrl+C (the process stays alive so the task can end as cancelled, roll back its outputs
    /// and kill its child processes); a second Ctrl+C ends the process at once. Dispose to unhook.
    /// </summary>
    public static CancellationTokenSource CancelOnCtrlC(CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ConsoleCancelEventHandler? handler = null;
        handler = (_, e) =>
        {
            if (!cts.IsCancellationRequested)
            {
                e.Cancel = true;
                Console.Error.WriteLine("cairn: cancelling the task (Ctrl+C again to quit at once)");
                cts.Cancel();
            }
        };
        Console.CancelKeyPress += handler;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Console.CancelKeyPress -= handler;
        return cts;
    }

    /// <summary>Runs a created task to its end with a progress bar on stderr; Ctrl+C cancels it (and its outputs are rolled back).</summary>
    public static async Task<TaskRow> RunWithProgressAsync(TaskService tasks, TaskRow row, CancellationToken ct)
    {
        if (Console.IsErrorRedirected)
        {
            return await tasks.RunAsync(row.Id, null, ct);
        }

        TaskRow result = row;
        await CliContext.Err.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask(Markup.Escape(row.Title), maxValue: 1000);
                var sync = new object();
                var progress = new SyncProgress<TaskProgress>(p =>
                {
                    lock (sync)
                    {
                        bar.Value = p.Fraction * 1000;
                        bar.Description = Markup.Escape(p.Message is null ? row.Title : $"{row.Title}: {p.Message}");
                    }
                });
                result = await tasks.RunAsync(row.Id, progress, ct);
                bar.Value = 1000;
            });
        return result;
    }

    /// <summary>Prints the outcome (JSON with --json) and returns the exit code: 0 succeeded, 1 failed, 130 cancelled.</summary>
    public static int Report(CairnSettings settings, TaskService tasks, TaskRow t)
    {
        var relations = tasks.Records.Relations(t.Id);
        if (settings.Json)
        {
            CliContext.PrintJson(new
            {
                task = new { id = t.Id, kind = t.Kind, title = t.Title, status = t.Status, error = t.Error, seconds = ((t.EndedAt ?? t.CreatedAt) - (t.StartedAt ?? t.CreatedAt)).TotalSeconds },
                inputs = relations.Where(r => r.Direction == "input").Select(r => new { kind = r.NodeKind, id = r.RefId, path = r.RefPath, title = r.Title }),
                outputs = relations.Where(r => r.Direction == "output").Select(r => new { kind = r.NodeKind, id = r.RefId, path = r.RefPath, title = r.Title }),
                result = t.ResultJson is null ? (System.Text.Json.JsonElement?)null : System.Text.Json.JsonDocument.Parse(t.ResultJson).RootElement,
            });
        }
        else if (t.Status == TaskStates.Succeeded)
        {
            // Warnings a kind puts in its result (a benchmark's partly matched classes) are worth the user's eyes.
            foreach (var w in t.ResultJson is null ? [] : System.Text.Json.Nodes.JsonNode.Parse(t.ResultJson)?["warnings"] as System.Text.Json.Nodes.JsonArray ?? [])
            {
                CliContext.Err.MarkupLine($"[yellow]warning:[/] {Markup.Escape(w?.ToString() ?? string.Empty)}");
            }

            var ins = string.Join(", ", relations.Where(r => r.Direction == "input").Select(r => r.Title));
            var outs = string.Join(", ", relations.Where(r => r.Direction == "output" && r.NodeKind != NodeKinds.File).Select(r => r.Title));
            AnsiConsole.MarkupLine($"Task [bold]{t.Id}[/] {Markup.Escape(t.Title)}: [green]succeeded[/] in {((t.EndedAt ?? t.CreatedAt) - (t.StartedAt ?? t.CreatedAt)).TotalSeconds:0.00} s. Read {Markup.Escape(ins.Length == 0 ? "nothing" : ins)}; wrote {Markup.Escape(outs.Length == 0 ? "nothing" : outs)}.");
        }
        else
        {
            CliContext.Err.MarkupLine($"Task [bold]{t.Id}[/] {Markup.Escape(t.Title)}: [red]{t.Status}[/]: {Markup.Escape(t.Error ?? string.Empty)}");
        }

        return t.Status switch { TaskStates.Succeeded => 0, TaskStates.Cancelled => 130, _ => 1 };
    }
}
