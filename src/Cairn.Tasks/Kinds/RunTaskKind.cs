using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Formats;
using Cairn.Operations.Models;
using Cairn.Storage;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Kinds;

/// <summary>One input of a <c>run</c> task: a version and the format it is written in for the command.</summary>
public sealed record RunInput(
    [property: Description(TaskParameters.InputSpec)] string Spec,
    [property: Description("a dataset format (coco, yolo, voc, …)")] string Format);

/// <summary>
/// The <c>run</c> kind's parameters: the command (the program and its arguments), the inputs written for it, the output
/// folder (default: one under the task's run folder), the API address and working directory it gets, and a title that
/// names the models it writes.
/// </summary>
public sealed record RunParameters(
    [property: Description("a non-empty array of strings (the program and its arguments)")] IReadOnlyList<string> Command,
    IReadOnlyList<RunInput>? Inputs = null,
    string? Outputs = null,
    string? Api = null,
    string? Workdir = null,
    string? Title = null) : IValidatableParameters
{
    /// <inheritdoc/>
    public string? Validate() => (Inputs ?? []).Select((x, i) => (x.Format, i)).FirstOrDefault(x => !DatasetFormats.Names.Contains(x.Format, StringComparer.OrdinalIgnoreCase)) is { Format: { } bad } at
        ? $"parameter 'inputs[{at.i}].format': expected one of {string.Join(", ", DatasetFormats.Names)}, got '{bad}'"
        : null;
}

/// <summary>
/// <c>run</c>: runs an external command (a training script, a converter) as a tracked task (<see cref="RunParameters"/>).
/// Each input version is written to disk in the requested format; the command gets CAIRN_TASK_ID, CAIRN_API,
/// CAIRN_INPUT_DIR / CAIRN_INPUT_N, CAIRN_OUTPUT_DIR and CAIRN_TOKEN (a token for this task only, revoked when it ends,
/// from <see cref="ITaskTokenIssuer"/> where the accounts are at hand); its stdout and stderr go to the task log (and to
/// <paramref name="echo"/>); afterwards every file in the output folder is stored and recorded as an output (checkpoints
/// grouped in a folder node, metrics.json / results.csv parsed into the result). A command that exits non-zero fails the
/// task: its files stay on the task page, and it registers no output.
/// </summary>
public sealed class RunTaskKind(CairnStore store, ModelRegistry models, IEnumerable<ITaskTokenIssuer> tokenIssuers, Action<string, bool>? echo = null) : TaskKind<RunParameters>
{
    /// <summary>File extensions recorded as model weights.</summary>
    public static IReadOnlySet<string> CheckpointExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".pt", ".pth", ".onnx", ".ckpt", ".safetensors" };

    /// <inheritdoc/>
    public override string Kind => "run";

    /// <inheritdoc/>
    protected override string Title(RunParameters p)
    {
        var cmd = p.Command;
        var text = string.Join(' ', cmd.Skip(1).Prepend(Path.GetFileName(cmd[0])));
        return "run " + (text.Length > 48 ? text[..47] + "…" : text);
    }

    /// <inheritdoc/>
    protected override async Task RunAsync(TaskContext ctx, RunParameters p)
    {
        var ct = ctx.Cancellation;
        var work = Path.Combine(store.Home, "runs", "task-" + ctx.TaskId.ToString(CultureInfo.InvariantCulture));
        var outputs = p.Outputs is { } o ? Path.GetFullPath(o) : Path.Combine(work, "outputs");
        Directory.CreateDirectory(outputs);
        var cmd = p.Command;
        var psi = new ProcessStartInfo(cmd[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = p.Workdir ?? Environment.CurrentDirectory,
        };
        foreach (var a in cmd.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        var inputs = p.Inputs ?? [];
        IReadOnlyList<string>? inputClasses = null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var spec = inputs[i].Spec;
            var format = DatasetFormats.Get(inputs[i].Format);
            var version = ctx.ReadInput(spec);
            var dir = Path.Combine(work, $"input-{i + 1}-{format.Name}");
            ctx.Report(0.02 + (0.08 * i / inputs.Count), $"writing {spec} as {format.Name}");
            var items = ctx.Items(version).Select(it => new ExportItem(it.Dataset, it.Name, () => store.Objects.OpenReadAsync(it.ImageId, ct).GetAwaiter().GetResult(), it.ParseAnnotation()));
            var meta = ctx.Meta(version);
            inputClasses ??= meta.Classes.Select(c => c.Name).ToList();
            var report = format.Write(meta, items, dir, new ExportOptions(IncludeImages: true, ShapesAsBoxes: format.Name is "yolo" or "voc"), ct);
            ctx.Log($"input {i + 1}: version {version.Number} written as {format.Name} to {dir} ({report.Items} items, {report.Labels} labels)");
            psi.Environment[$"CAIRN_INPUT_{i + 1}"] = dir;
            if (i == 0)
            {
                psi.Environment["CAIRN_INPUT_DIR"] = dir;
                psi.Environment["CAIRN_INPUT_FORMAT"] = format.Name;
            }
        }

        psi.Environment["CAIRN_TASK_ID"] = ctx.TaskId.ToString(CultureInfo.InvariantCulture);
        psi.Environment["CAIRN_OUTPUT_DIR"] = outputs;
        psi.Environment["CAIRN_HOME"] = store.Home;
        // The program talks to the API with a token for this task alone, revoked when the task ends (never stored with
        // the task's parameters). Without accounts at hand, the caller's own CAIRN_TOKEN is passed on.
        await using var taskToken = tokenIssuers.FirstOrDefault() is { } issuer ? await issuer.IssueAsync(ctx.Task, ct).ConfigureAwait(false) : null;
        if ((p.Api ?? taskToken?.Api) is { } api)
        {
            psi.Environment["CAIRN_API"] = api;
        }

        if ((taskToken?.Token ?? Environment.GetEnvironmentVariable("CAIRN_TOKEN")) is { Length: > 0 } token)
        {
            psi.Environment["CAIRN_TOKEN"] = token;
        }

        ctx.Report(0.1, "running " + Path.GetFileName(cmd[0]));
        ctx.Log("$ " + string.Join(' ', cmd.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)));
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new TaskValidationException($"cannot start '{cmd[0]}': {e.Message}");
        }

        await using (ct.Register(() => Kill(process)))
        {
            var stdout = PumpAsync(process.StandardOutput, ctx, "stdout", false);
            var stderr = PumpAsync(process.StandardError, ctx, "stderr", true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        }

        // The materialised inputs are copies of stored versions: drop them, keep the outputs.
        foreach (var dir in Directory.EnumerateDirectories(work, "input-*"))
        {
            Directory.Delete(dir, recursive: true);
        }

        ct.ThrowIfCancellationRequested();
        var code = process.ExitCode;
        ctx.Log($"exit code {code} after {clock.Elapsed.TotalSeconds:0.0} s", code == 0 ? "info" : "error");
        ctx.Report(0.95, "recording outputs");
        var result = new JsonObject { ["exitCode"] = code, ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3), ["outputDir"] = outputs };
        RecordOutputs(ctx, outputs, result, registerModels: code == 0, inputClasses, p.Title);
        ctx.Result = result;
        if (code != 0)
        {
            throw new TaskFailedException($"the command exited with code {code}; its output is in the task log (`cairn` printed it, or open the task page)");
        }
    }

    /// <summary>Parses metrics: a JSON object as is, or the last row of a CSV (Ultralytics results.csv) as column → number.</summary>
    public static JsonNode? ParseMetrics(string file)
    {
        var text = File.ReadAllText(file);
        if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{file}: not JSON ({e.Message}); expected an object of metric names and values");
            }
        }

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2)
        {
            return null;
        }

        var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        var last = lines[^1].Split(',').Select(v => v.Trim()).ToArray();
        var o = new JsonObject();
        for (var i = 0; i < Math.Min(header.Length, last.Length); i++)
        {
            o[header[i]] = double.TryParse(last[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : JsonValue.Create(last[i]);
        }

        return o;
    }

    // A failed run's files are stored too (its checkpoints may be worth a look), but the runner takes their output edges
    // back, so they show on the task page only; its ONNX files are not registered as models.
    private void RecordOutputs(TaskContext ctx, string outputs, JsonObject result, bool registerModels, IReadOnlyList<string>? inputClasses, string? title)
    {
        var prefix = $"runs/task-{ctx.TaskId.ToString(CultureInfo.InvariantCulture)}";
        var files = Directory.EnumerateFiles(outputs, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var folders = new HashSet<string>(StringComparer.Ordinal);
        var checkpoints = 0;
        foreach (var f in files)
        {
            var rel = Path.GetRelativePath(outputs, f).Replace('\\', '/');
            var name = Path.GetFileName(f);
            var kind = CheckpointExtensions.Contains(Path.GetExtension(f)) ? "checkpoint"
                : name is "metrics.json" or "results.csv" ? "metrics"
                : name.EndsWith(".log", StringComparison.OrdinalIgnoreCase) ? "log"
                : "other";
            if (kind == "checkpoint")
            {
                checkpoints++;
                var dir = Path.GetDirectoryName(rel)?.Replace('\\', '/');
                var folder = string.IsNullOrEmpty(dir) ? $"{prefix}/checkpoints" : $"{prefix}/{dir}";
                if (folders.Add(folder))
                {
                    ctx.Records.AddRelation(ctx.TaskId, "output", new NodeRef(NodeKinds.Folder, null, folder, Path.GetFileName(folder)));
                }

                // A checkpoint at the top of the output folder is stored under checkpoints/ so that it folds into its folder node.
                rel = string.IsNullOrEmpty(dir) ? "checkpoints/" + rel : rel;
            }

            if (kind == "metrics")
            {
                result["metrics"] = ParseMetrics(f);
            }

            using (var s = File.OpenRead(f))
            {
                ctx.Files.AddFile(ctx.TaskId, "output", $"{prefix}/{rel}", s, kind, ctx.Cancellation);
            }

            if (registerModels && string.Equals(Path.GetExtension(f), ".onnx", StringComparison.OrdinalIgnoreCase))
            {
                RegisterModel(ctx, f, rel, inputClasses, title);
            }
        }

        result["files"] = files.Count;
        result["checkpoints"] = checkpoints;
        ctx.Log($"recorded {files.Count} output files ({checkpoints} checkpoints) under {prefix}");
    }

    // An ONNX file the program wrote is a model: registered with this task as its producer, so benchmarks of it link
    // back to the run on the graph. A file that no detector layout fits stays a plain checkpoint (logged, not failed).
    // Without class names in its metadata, it takes the first input version's classes (the trainer learnt them, in
    // that order: the writers keep the project's class order) when their count fits.
    private void RegisterModel(TaskContext ctx, string file, string rel, IReadOnlyList<string>? inputClasses, string? title)
    {
        var name = $"{title ?? $"task {ctx.TaskId.ToString(CultureInfo.InvariantCulture)}"}/{Path.GetFileNameWithoutExtension(rel)}";
        try
        {
            var model = models.Add(file, name, taskId: ctx.TaskId, description: $"Written by task {ctx.TaskId.ToString(CultureInfo.InvariantCulture)} as {rel}", fallbackClasses: inputClasses);
            ctx.Records.AddRelation(ctx.TaskId, "output", new NodeRef(NodeKinds.Model, model.Id, Title: model.Name));
            ctx.Log($"registered {rel} as model '{model.Name}' ({model.Layout}, {model.InputSize}px, classes {string.Join(", ", ModelRegistry.Classes(model))})");
        }
        catch (Exception e) when (e is ModelRegistryException or Cairn.Inference.ModelFormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            ctx.Log($"{rel} kept as a checkpoint, not registered as a model: {e.Message}", "warning");
        }
    }

    private async Task PumpAsync(StreamReader reader, TaskContext ctx, string level, bool isError)
    {
        while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
        {
            ctx.Log(line, level);
            echo?.Invoke(line, isError);
        }
    }

    private static void Kill(Process p)
    {
        try
        {
            p.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
