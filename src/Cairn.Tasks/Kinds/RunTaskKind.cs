using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Core.Formats;
using Cairn.Storage;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>run</c>: runs an external command (a training script, a converter) as a tracked task. Each input version is written
/// to disk in the requested format; the command gets CAIRN_TASK_ID, CAIRN_API, CAIRN_INPUT_DIR / CAIRN_INPUT_N and
/// CAIRN_OUTPUT_DIR; its stdout and stderr go to the task log; afterwards every file in the output folder is stored and
/// recorded as an output (checkpoints grouped in a folder node, metrics.json / results.csv parsed into the result). A
/// command that exits non-zero fails the task: its files stay on the task page, and it registers no output.
/// Parameters: command (array), inputs ([{spec, format}]), outputs (folder, optional), api (optional), workdir (optional).
/// </summary>
public sealed class RunTaskKind(Action<string, bool>? echo = null) : ITaskKind
{
    /// <summary>File extensions recorded as model weights.</summary>
    public static IReadOnlySet<string> CheckpointExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".pt", ".pth", ".onnx", ".ckpt", ".safetensors" };

    /// <inheritdoc/>
    public string Kind => "run";

    /// <inheritdoc/>
    public string Title(JsonObject p)
    {
        var cmd = (p["command"] as JsonArray ?? []).Select(x => x!.GetValue<string>()).ToList();
        var text = cmd.Count == 0 ? string.Empty : string.Join(' ', cmd.Skip(1).Prepend(Path.GetFileName(cmd[0])));
        return "run " + (text.Length > 48 ? text[..47] + "…" : text);
    }

    /// <inheritdoc/>
    public string? Validate(JsonObject p, CairnStore store)
    {
        if (p["command"] is not JsonArray { Count: > 0 } cmd || cmd.Any(x => x is not JsonValue))
        {
            return "parameter 'command': expected a non-empty array of strings (the program and its arguments)";
        }

        foreach (var (input, i) in (p["inputs"] as JsonArray ?? []).Select((x, i) => (x, i)))
        {
            var format = input?["format"]?.GetValue<string>();
            if (input?["spec"]?.GetValue<string>() is not { Length: > 0 })
            {
                return $"parameter 'inputs[{i}].spec': expected <project> or <project>@<N>";
            }

            if (format is null || !DatasetFormats.Names.Contains(format, StringComparer.OrdinalIgnoreCase))
            {
                return $"parameter 'inputs[{i}].format': expected one of {string.Join(", ", DatasetFormats.Names)}, got '{format}'";
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public async Task RunAsync(TaskContext ctx)
    {
        var ct = ctx.Cancellation;
        var work = Path.Combine(ctx.Store.Home, "runs", "task-" + ctx.TaskId.ToString(CultureInfo.InvariantCulture));
        var outputs = ctx.OptionalString("outputs") is { } o ? Path.GetFullPath(o) : Path.Combine(work, "outputs");
        Directory.CreateDirectory(outputs);
        var cmd = ((JsonArray)ctx.Parameters["command"]!).Select(x => x!.GetValue<string>()).ToList();
        var psi = new ProcessStartInfo(cmd[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ctx.OptionalString("workdir") ?? Environment.CurrentDirectory,
        };
        foreach (var a in cmd.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        var inputs = (ctx.Parameters["inputs"] as JsonArray ?? []).ToList();
        IReadOnlyList<string>? inputClasses = null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var spec = inputs[i]!["spec"]!.GetValue<string>();
            var format = DatasetFormats.Get(inputs[i]!["format"]!.GetValue<string>());
            var version = ctx.ReadInput(spec);
            var dir = Path.Combine(work, $"input-{i + 1}-{format.Name}");
            ctx.Report(0.02 + (0.08 * i / inputs.Count), $"writing {spec} as {format.Name}");
            var items = ctx.Items(version).Select(it => new ExportItem(it.Dataset, it.Name, () => ctx.Store.Objects.OpenReadAsync(it.ImageId, ct).GetAwaiter().GetResult(), it.ParseAnnotation()));
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
        psi.Environment["CAIRN_HOME"] = ctx.Store.Home;
        if (ctx.OptionalString("api") is { } api)
        {
            psi.Environment["CAIRN_API"] = api;
        }

        // A server with users wants a bearer token: `cairn run` passes the caller's CAIRN_TOKEN on (it is never stored
        // with the task's parameters).
        if (Environment.GetEnvironmentVariable("CAIRN_TOKEN") is { Length: > 0 } token)
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
        RecordOutputs(ctx, outputs, result, registerModels: code == 0, inputClasses);
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
    private static void RecordOutputs(TaskContext ctx, string outputs, JsonObject result, bool registerModels, IReadOnlyList<string>? inputClasses)
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
                RegisterModel(ctx, f, rel, inputClasses);
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
    private static void RegisterModel(TaskContext ctx, string file, string rel, IReadOnlyList<string>? inputClasses)
    {
        var registry = new Cairn.Operations.Models.ModelRegistry(ctx.Store);
        var name = $"{ctx.OptionalString("title") ?? $"task {ctx.TaskId.ToString(CultureInfo.InvariantCulture)}"}/{Path.GetFileNameWithoutExtension(rel)}";
        try
        {
            var model = registry.Add(file, name, taskId: ctx.TaskId, description: $"Written by task {ctx.TaskId.ToString(CultureInfo.InvariantCulture)} as {rel}", fallbackClasses: inputClasses);
            ctx.Records.AddRelation(ctx.TaskId, "output", new NodeRef(NodeKinds.Model, model.Id, Title: model.Name));
            ctx.Log($"registered {rel} as model '{model.Name}' ({model.Layout}, {model.InputSize}px, classes {string.Join(", ", Cairn.Operations.Models.ModelRegistry.Classes(model))})");
        }
        catch (Exception e) when (e is Cairn.Operations.Models.ModelRegistryException or Cairn.Inference.ModelFormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
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
