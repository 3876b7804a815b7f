using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Operations.Imaging;
using Cairn.Operations.Synthesis;
using Cairn.Storage;
using Cairn.Storage.Objects;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>The <c>generate</c> kind's parameters: how many scenes, their seed and size, shapes per scene, and the dataset they go into.</summary>
public sealed record GenerateParameters(
    [property: Description(TaskParameters.NewProject)] string Output,
    [property: Range(1, 1_000_000)] int Count = 100,
    ulong Seed = 1,
    int Width = 256,
    int Height = 256,
    int? MinShapes = null,
    int? MaxShapes = null,
    string Dataset = "synthetic");

/// <summary>
/// <c>generate</c>: a procedural project of synthetic scenes (circles, squares, triangles on noisy gradients) with exact
/// polygon labels, seeded (<see cref="GenerateParameters"/>).
/// </summary>
public sealed class GenerateTaskKind(CairnStore store, ProjectService projects) : TaskKind<GenerateParameters>
{
    /// <inheritdoc/>
    public override string Kind => "generate";

    /// <inheritdoc/>
    protected override string Title(GenerateParameters p) => $"generate {p.Count} synthetic scenes → {p.Output}";

    /// <inheritdoc/>
    protected override string? Check(GenerateParameters p) => Taken(projects, p.Output);

    /// <inheritdoc/>
    protected override Task RunAsync(TaskContext ctx, GenerateParameters p)
    {
        var spec = new SyntheticSpec { Seed = p.Seed, Width = p.Width, Height = p.Height };
        spec = spec with { MinShapes = p.MinShapes ?? spec.MinShapes, MaxShapes = p.MaxShapes ?? spec.MaxShapes };
        var items = new NewItem[p.Count];
        var done = 0;

        // Scenes go into one pack (not a file each), committed before the output project's rows reference them.
        using var pack = store.Objects.BeginPack();
        Parallel.For(0, p.Count, new ParallelOptions { CancellationToken = ctx.Cancellation, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
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

                items[i] = new NewItem(p.Dataset, SyntheticScenes.ItemName(i), put.Id, put.Size, annotation);
            }

            var n = Interlocked.Increment(ref done);
            if (n % 16 == 0)
            {
                ctx.Report(0.9 * n / p.Count, "generating");
            }
        });
        pack.Commit();
        var (project, version) = ctx.CreateOutputProject(p.Output, SyntheticScenes.Meta(spec), items, $"{p.Count} synthetic scenes, seed {spec.Seed}");
        ctx.Result = new JsonObject { ["project"] = project.Name, ["version"] = version.Number, ["items"] = p.Count, ["labels"] = version.Labels };
        ctx.Log(string.Create(CultureInfo.InvariantCulture, $"generated {p.Count} scenes with {version.Labels} labels"));
        return Task.CompletedTask;
    }
}
