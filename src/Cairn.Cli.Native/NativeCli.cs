using Cairn.Storage;

namespace Cairn.Cli.Native;

/// <summary>
/// The native front: runs a hot command itself when it understands the whole command line and the home opens without
/// EF Core's migrator (<see cref="CairnStore.OpenWithoutMigrator"/>); otherwise hands the command line, unchanged, to
/// the full CLI.
/// </summary>
public static class NativeCli
{
    /// <summary>Runs <paramref name="args"/>; the exit code.</summary>
    public static int Run(string[] args)
    {
        args = GlobalOptions.Hoist(args);
        CliOutput.Configure();
        var line = FastCommandLine.TryParse(args);

        // What the full CLI's own validation would refuse goes to it, for its message: an unknown format, a --limit that
        // is not a count.
        var limit = 20;
        if (line is null || (line.Command == "import" && !Core.Formats.DatasetFormats.Names.Contains(line.Arguments[0]))
            || (line.Option("--limit") is { } l && !int.TryParse(l, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit)))
        {
            return ManagedCli.Exec(args);
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        if (line.Command == "eval")
        {
            // No home: `eval` reads two files. What the full CLI's validation refuses goes to it, for its message.
            var iouType = line.Option("--iou-type") ?? "bbox";
            if (line.Option("--gt") is not { Length: > 0 } gt || line.Option("--dt") is not { Length: > 0 } dt || iouType is not ("bbox" or "segm" or "boundary"))
            {
                return ManagedCli.Exec(args);
            }

            var type = iouType switch { "segm" => Evaluation.Coco.IouType.Segm, "boundary" => Evaluation.Coco.IouType.Boundary, _ => Evaluation.Coco.IouType.Bbox };
            try
            {
                return EvalRun.Evaluate(new EvalRequest(gt, dt, type, line.Option("--name"), null, null, null, line.Json), cancel.Token);
            }
            catch (Exception e) when (CliErrors.Describe(e) is { } error)
            {
                Console.Error.WriteLine(error.Message);
                return error.ExitCode;
            }
        }

        try
        {
            // Homes whose catalog needs EF Core's migrator (a new PostgreSQL catalog, or one behind) go to the full CLI.
            var home = CairnStore.ResolveHome(line.Option("--home"));
            using var store = CairnStore.OpenWithoutMigrator(home, catalog: line.Option("--catalog"), objectStore: line.Option("--store"));
            if (store is null)
            {
                return ManagedCli.Exec(args);
            }

            return line.Command switch
            {
                "version create" => HotCommands.VersionCreate(store, line.Arguments[0], line.Option("--title"), line.Option("--description"), line.Option("--author"), line.Json, cancel.Token),
                "version list" => HotCommands.VersionList(store, line.Arguments[0], line.Json),
                "project list" => HotCommands.ProjectList(store, line.Json),
                "version diff" => HotCommands.VersionDiff(store, line.Arguments[0], line.Arguments[1], limit, line.Json, cancel.Token),
                "import" => HotCommands.Import(home, () => store, line.Arguments[0], line.Arguments[1], line.Option("--project"), line.Option("--annotations"), line.Option("--description"), line.Flag("--no-version"), line.Json, cancel.Token),
                _ => ManagedCli.Exec(args),
            };
        }
        catch (Exception e) when (CliErrors.Describe(e) is { } error)
        {
            Console.Error.WriteLine(error.Message);
            return error.ExitCode;
        }
    }
}
