using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Operations.Imaging;
using Cairn.Operations.Synthesis;
using Cairn.Storage;
using Cairn.Storage.Objects;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// <c>generate</c>: a procedural project of synthetic scenes (circles, squares, triangles on noisy gradients) with exact
/// polygon labels, seeded. Parameters: output, count (default 100), seed (default 1), width and height (default 256),
/// minShapes, maxShapes, dataset (default "synthetic").
/// </summary>
public sealed class GenerateTaskKind : ITaskKind
{
    /// <inheritdoc/>
    public string Kind => "generate";

    /// <inheritdoc/>
    public string Title(JsonObject p) => $"generate {p["count"] ?? 100} synthetic scenes → {p["output"]}";

    /// <inheritdoc/>
    public string? Validate(JsonObject p, CairnStore store)
    {
        var output = p["output"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(output))
        {
            return "parameter 'output': expected the new project's name";
        }

        if (new ProjectService(store).Find(output) is not null)
        {
            return $"parameter 'output': a project named '{output}' exists already; choose another name (or delete that project)";
        }

        var count = p["count"]?.GetValue<int>() ?? 100;
        return count is < 1 or > 1_000_000 ? $"parameter 'count': expected 1 to 1000000, got {count}" : null;
    }

    /// <inheritdoc/>
    public Task RunAsync(TaskContext ctx)
    {
        var count = ctx.Parameters["count"]?.GetValue<int>() ?? 100;
        var spec = new SyntheticSpec
        {
            Seed = (ulong)(ctx.Parameters["seed"]?.GetValue<long>() ?? 1),
            Width = ctx.Parameters["width"]?.GetValue<int>() ?? 256,
            Height = ctx.Parameters["height"]?.GetValue<int>() ?? 256,
            MinShapes = ctx.Parameters["minShapes"]?.GetValue<int>() ?? new SyntheticSpec().MinShapes,
            MaxShapes = ctx.Parameters["maxShapes"]?.GetValue<int>() ?? new SyntheticSpec().MaxShapes,
        };
        var dataset = ctx.OptionalString("dataset") ?? "synthetic";
        var items = new NewItem[count];
        var done = 0;

        // Scenes go into one pack (not a file each), committed before the output project's rows reference them.
        using var pack = ctx.Store.Objects.BeginPack();
        Parallel.For(0, count, new ParallelOptions { CancellationToken = ctx.Cancellation, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (image, annotation) = SyntheticScenes.Generate(spec, i);
            using (image)
            {
                var png = ImageCodec.Encode(image, ImageFormat.Png);
                PutResult put;
                lock (pack)
                {
                    put = pack.Add(png);
                }

                items[i] = new NewItem(dataset, SyntheticScenes.ItemName(i), put.Id, put.Size, annotation);
            }

            var n = Interlocked.Increment(ref done);
            if (n % 16 == 0)
            {
                ctx.Report(0.9 * n / count, "generating");
            }
        });
        pack.Commit();
        var (project, version) = ctx.CreateOutputProject(ctx.String("output"), SyntheticScenes.Meta(spec), items, $"{count} synthetic scenes, seed {spec.Seed}");
        ctx.Result = new JsonObject { ["project"] = project.Name, ["version"] = version.Number, ["items"] = count, ["labels"] = version.Labels };
        ctx.Log(string.Create(CultureInfo.InvariantCulture, $"generated {count} scenes with {version.Labels} labels"));
        return Task.CompletedTask;
    }
}
