using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Core.Model;
using Cairn.Operations.Augment;
using Cairn.Operations.Imaging;
using Cairn.Operations.Synthesis;
using Cairn.Storage;
using Cairn.Storage.Objects;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Kinds;

/// <summary>
/// The <c>copy-paste</c> kind's parameters: the backgrounds (<paramref name="Input"/>), the source of cut-outs
/// (<paramref name="Objects"/>; only polygon and mask labels can be cut out), the classes cut (default all), outputs per
/// background, seed, objects per output, scale range, flip probability, the visible fraction below which a pasted
/// object gets no label, the pool size of cut-outs, and the JPEG quality.
/// </summary>
public sealed record CopyPasteParameters(
    [property: Description(TaskParameters.InputSpec + " (the background images)")] string Input,
    [property: Description(TaskParameters.InputSpec + ", the project whose polygon or mask labels are cut out and pasted")] string Objects,
    [property: Description(TaskParameters.NewProject)] string Output,
    IReadOnlyList<string>? Classes = null,
    [property: Range(1, 100)] int PerBackground = 1,
    ulong Seed = 1,
    int MinObjects = 1,
    int MaxObjects = 4,
    double ScaleMin = 0.5,
    double ScaleMax = 1.5,
    [property: Range(0.0, 1.0)] double Flip = 0.5,
    [property: Range(0.0, 1.0)] double MinVisible = 0,
    [property: Range(1, 100_000)] int MaxCutOuts = 2000,
    [property: Range(1, 100)] int Quality = 92) : IValidatableParameters
{
    /// <inheritdoc/>
    public string? Validate() =>
        MinObjects < 0 || MaxObjects < MinObjects || MaxObjects > 100 ? $"parameters 'minObjects' and 'maxObjects': expected 0 <= minObjects <= maxObjects <= 100, got {MinObjects} and {MaxObjects}"
        : ScaleMin <= 0 || ScaleMax < ScaleMin || ScaleMax > 20 ? string.Create(CultureInfo.InvariantCulture, $"parameters 'scaleMin' and 'scaleMax': expected 0 < scaleMin <= scaleMax <= 20, got {ScaleMin} and {ScaleMax}")
        : null;
}

/// <summary>
/// <c>copy-paste</c>: training data by pasting object cut-outs from one project onto the images of another (the
/// backgrounds), at random scale, flip and position, with exact labels (see <see cref="CopyPaste"/>, <see cref="CopyPasteParameters"/>).
/// </summary>
public sealed class CopyPasteTaskKind(CairnStore store, ProjectService projects) : TaskKind<CopyPasteParameters>
{
    /// <summary>Cut-outs smaller than this many pixels (bounding box area) are skipped: too small to be useful objects.</summary>
    public const int MinCutOutArea = 16;

    /// <inheritdoc/>
    public override string Kind => "copy-paste";

    /// <inheritdoc/>
    protected override string Title(CopyPasteParameters p) => $"copy-paste {p.Objects} onto {p.Input} → {p.Output}";

    /// <inheritdoc/>
    protected override string? Check(CopyPasteParameters p) => Taken(projects, p.Output);

    /// <inheritdoc/>
    protected override async Task RunAsync(TaskContext ctx, CopyPasteParameters p)
    {
        var backgrounds = ctx.ReadInput(p.Input);
        var source = ctx.ReadInput(p.Objects);
        var classes = p.Classes?.ToHashSet(StringComparer.Ordinal);
        var spec = new CopyPasteSpec
        {
            Seed = p.Seed,
            MinObjects = p.MinObjects,
            MaxObjects = p.MaxObjects,
            Scale = new ParamRange(p.ScaleMin, p.ScaleMax),
            FlipProbability = p.Flip,
            MinVisible = p.MinVisible,
        };

        ctx.Report(0, "cutting out objects");
        var pool = await CutOutsAsync(ctx, source, classes, p.MaxCutOuts);
        if (pool.Count == 0)
        {
            throw new TaskValidationException(
                $"parameter 'objects': {p.Objects} has no polygon or mask labels{(classes is null ? string.Empty : " of the classes " + string.Join(", ", classes))} " +
                $"of at least {MinCutOutArea} pixels to cut out; convert boxes to masks first (cairn op transform) or pick another source");
        }

        ctx.Log($"{pool.Count} cut-outs from {p.Objects} ({string.Join(", ", pool.GroupBy(c => c.Label.ClassName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))})");
        var meta = OutputMeta(ctx.Meta(backgrounds), ctx.Meta(source), pool);
        var inputs = ctx.Items(backgrounds).ToList();
        var total = inputs.Count * p.PerBackground;
        var items = new NewItem[total];
        var done = 0;

        // Outputs go into one pack (not a file each), committed before the output project's rows reference them.
        using var pack = store.Objects.BeginPack();
        await Parallel.ForAsync(0, inputs.Count, new ParallelOptions { CancellationToken = ctx.Cancellation, MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, ct) =>
        {
            var bg = inputs[i];
            var bytes = await store.Objects.GetAsync(bg.ImageId, ct);
            using var image = ImageCodec.Decode(bytes, $"{bg.Dataset}/{bg.Name}");
            var annotation = bg.ParseAnnotation();
            var stem = Path.GetFileNameWithoutExtension(bg.Name);
            for (var k = 0; k < p.PerBackground; k++)
            {
                ct.ThrowIfCancellationRequested();
                var (composite, labels) = CopyPaste.Compose(image, annotation, pool, spec, $"{bg.Dataset}/{bg.Name}#{k}");
                using (composite)
                {
                    var jpeg = ImageCodec.Encode(composite, ImageFormat.Jpeg, p.Quality);
                    PutResult put;
                    lock (pack)
                    {
                        put = pack.Add(jpeg);
                    }

                    items[(i * p.PerBackground) + k] = new NewItem(bg.Dataset, $"{stem}_cp{k}.jpg", put.Id, put.Size, labels);
                }

                var n = Interlocked.Increment(ref done);
                if (n % 8 == 0 || n == total)
                {
                    ctx.Report(0.1 + (0.85 * n / Math.Max(1, total)), "pasting");
                }
            }
        });

        ctx.Report(0.95, "writing output");
        pack.Commit();
        var (project, version) = ctx.CreateOutputProject(
            p.Output, meta, items,
            $"Copy-paste of {p.Objects} onto {p.Input}, {p.PerBackground} per background, seed {spec.Seed}");
        ctx.Result = new JsonObject
        {
            ["project"] = project.Name,
            ["version"] = version.Number,
            ["items"] = total,
            ["labels"] = version.Labels,
            ["cutOuts"] = pool.Count,
        };
        ctx.Log(string.Create(CultureInfo.InvariantCulture, $"wrote {total} images with {version.Labels} labels"));
    }

    private async Task<List<CutOut>> CutOutsAsync(TaskContext ctx, VersionSummary source, HashSet<string>? classes, int max)
    {
        var pool = new List<CutOut>();
        foreach (var item in ctx.Items(source))
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            if (pool.Count >= max)
            {
                break;
            }

            var labels = item.ParseAnnotation().Labels
                .Where(l => l.Geometry is PolygonGeometry or MaskGeometry && (classes is null || classes.Contains(l.ClassName)))
                .ToList();
            if (labels.Count == 0)
            {
                continue;
            }

            var bytes = await store.Objects.GetAsync(item.ImageId, ctx.Cancellation);
            using var image = ImageCodec.Decode(bytes, $"{item.Dataset}/{item.Name}");
            foreach (var label in labels)
            {
                if (CutOut.Cut(image, label) is { } cut && cut.Width * cut.Height >= MinCutOutArea && pool.Count < max)
                {
                    pool.Add(cut);
                }
            }
        }

        return pool;
    }

    // The backgrounds' meta, plus the classes and tags of the pasted objects it lacks. A class known to both with a
    // different shape becomes "any": its labels now come in both shapes.
    private static ProjectMeta OutputMeta(ProjectMeta background, ProjectMeta source, List<CutOut> pool)
    {
        var classes = background.Classes.ToList();
        var tags = background.Tags.ToList();
        foreach (var name in pool.Select(c => c.Label.ClassName).Distinct(StringComparer.Ordinal))
        {
            var from = source.FindClass(name) ?? new ObjClass(name, GeometryKind.Any, "#e6194b");
            var i = classes.FindIndex(c => c.Name == name);
            if (i < 0)
            {
                classes.Add(from);
            }
            else if (classes[i].Shape != from.Shape && classes[i].Shape != GeometryKind.Any)
            {
                classes[i] = classes[i] with { Shape = GeometryKind.Any };
            }
        }

        foreach (var tag in pool.SelectMany(c => c.Label.Tags).Select(t => t.Name).Distinct(StringComparer.Ordinal))
        {
            if (background.FindTag(tag) is null && source.FindTag(tag) is { } meta && !tags.Any(t => t.Name == tag))
            {
                tags.Add(meta);
            }
        }

        return new ProjectMeta(classes, tags);
    }
}
