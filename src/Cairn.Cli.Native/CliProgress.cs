using Cairn.Storage.Projects;
using Spectre.Console;

namespace Cairn.Cli.Native;

/// <summary>Progress bars on stderr for long work (hidden when stderr is not a terminal).</summary>
public static class CliProgress
{
    /// <summary>Runs <paramref name="work"/> with a progress bar fed by its stage reports.</summary>
    public static T Run<T>(string title, Func<IProgress<ImportProgress>, T> work)
    {
        if (Console.IsErrorRedirected)
        {
            return work(new Progress<ImportProgress>(_ => { }));
        }

        T result = default!;
        CliOutput.Err.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(title);
                var sync = new object();
                result = work(new SyncProgress<ImportProgress>(p =>
                {
                    lock (sync)
                    {
                        task.Description = $"{title}: {p.Stage}";
                        if (p.Total > 0)
                        {
                            task.MaxValue = p.Total;
                            task.Value = p.Done;
                        }
                        else
                        {
                            task.IsIndeterminate = true;
                        }
                    }
                }));
                task.Value = task.MaxValue;
            });
        return result;
    }
}
