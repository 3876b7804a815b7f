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
/// <c>copy-paste</c>: training data by pasting object cut-outs from one project onto the images of another (the
/// backgrounds), at random scale, flip and position, with exact labels (see <see cref="CopyPaste"/>). Parameters:
/// input (the backgrounds, project or project@N), objects (the source of cut-outs, project or project@N; only polygon and
/// mask labels can be cut out), output, classes (cut only these; default all), perBackground (outputs per background,
/// default 1), seed (default 1), minObjects and maxObjects (default 1 and 4), scaleMin and scaleMax (default 0.5 and 1.5),
/// flip (probability of a horizontal flip, default 0.5), minVisible (a pasted object less visible than this gets no
/// label, default 0), maxCutOuts (size of the pool of cut-outs, default 2000), quality (JPEG quality, default 92).
/// </summary>
public sealed class CopyPasteTaskKind : ITaskKind
{
    /// <summary>Cut-outs smaller than this many pixels (bounding box area) are skipped: too small to be useful objects.</summary>
    public const int MinCutOutArea = 16;

    /// <inheritdoc/>
    public string Kind => "copy-paste";

    /// <inheritdoc/>
    public string Title(JsonObject p) => $"copy-paste {p["objects"]} onto {p["input"]} → {p["output"]}";

    /// <inheritdoc/>
    public string? Validate(JsonObject p, CairnStore store)
    {
        if (KindParameters.Input(p) is { } input)
        {
            return input + " (the background images)";
        }

        if (string.IsNullOrWhiteSpace(p["objects"]?.GetValue<string>()))
        {
            return "parameter 'objects': expected <project> or <project>@<N>, the project whose polygon or mask labels are cut out and pasted";
        }

        if (KindParameters.NewOutput(p, store) is { } output)
        {
            return output;
        }

        var per = KindParameters.Int(p, "perBackground", 1);
        if (per is < 1 or > 100)
        {
            return $"parameter 'perBackground': expected 1 to 100 outputs per background image, got {per}";
        }

        var min = KindParameters.Int(p, "minObjects", 1);
        var max = KindParameters.Int(p, "maxObjects", 4);
        if (min < 0 || max < min || max > 100)
        {
            return $"parameters 'minObjects' and 'maxObjects': expected 0 <= minObjects <= maxObjects <= 100, got {min} and {max}";
        }

        var smin = KindParameters.Double(p, "scaleMin", 0.5);
        var smax = KindParameters.Double(p, "scaleMax", 1.5);
        if (smin <= 0 || smax < smin || smax > 20)
        {
            return $"parameters 'scaleMin' and 'scaleMax': expected 0 < scaleMin <= scaleMax <= 20, got {smin} and {smax}";
        }

        foreach (var (name, value) in new[] { ("flip", KindParameters.Double(p, "flip", 0.5)), ("minVisible", KindParameters.Double(p, "minVisible", 0)) })
        {
            if (value is < 0 or > 1)
            {
                return $"parameter '{name}': expected a fraction from 0 to 1, got {value.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        if (p["classes"] is { } cls && (cls is not JsonArray arr || arr.Any(x => x is not JsonValue v || !v.TryGetValue<string>(out _))))
        {
            return $"parameter 'classes': expected an array of class names, got {cls.ToJsonString()}";
        }

        var pool = KindParameters.Int(p, "maxCutOuts", 2000);
        if (pool is < 1 or > 100_000)
        {
            return $"parameter 'maxCutOuts': expected 1 to 100000, got {pool}";
        }

        var quality = KindParameters.Int(p, "quality", 92);
        return quality is < 1 or > 100 ? $"parameter 'quality': expected a JPEG quality from 1 to 100, got {quality}" : null;
    }

    /// <inheritdoc/>
    public async Task RunAsync(TaskContext ctx)
    {
        var p = ctx.Parameters;
        var backgrounds = ctx.ReadInput(ctx.String("input"));
        var source = ctx.ReadInput(ctx.String("objects"));
        var classes = p["classes"] is JsonArray a ? a.Select(x => x?.GetValue<string>() ?? string.Empty).ToHashSet(StringComparer.Ordinal) : null;
        var spec = new CopyPasteSpec
        {
            Seed = (ulong)(p["seed"]?.GetValue<long>() ?? 1),
            MinObjects = KindParameters.Int(p, "minObjects", 1),
            MaxObjects = KindParameters.Int(p, "maxObjects", 4),
            Scale = new ParamRange(KindParameters.Double(p, "scaleMin", 0.5), KindParameters.Double(p, "scaleMax", 1.5)),
            FlipProbability = KindParameters.Double(p, "flip", 0.5),
            MinVisible = KindParameters.Double(p, "minVisible", 0),
        };
        var per = KindParameters.Int(p, "perBackground", 1);
        var quality = KindParameters.Int(p, "quality", 92);

        ctx.Report(0, "cutting out objects");
        var pool = await CutOutsAsync(ctx, source, classes, KindParameters.Int(p, "maxCutOuts", 2000));
        if (pool.Count == 0)
        {
            throw new TaskValidationException(
                $"parameter 'objects': {ctx.String("objects")} has no polygon or mask labels{(classes is null ? string.Empty : " of the classes " + string.Join(", ", classes))} " +
                $"of at least {MinCutOutArea} pixels to cut out; convert boxes to masks first (cairn op transform) or pick another source");
        }

        ctx.Log($"{pool.Count} cut-outs from {ctx.String("objects")} ({string.Join(", ", pool.GroupBy(c => c.Label.ClassName).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))})");
        var meta = OutputMeta(ctx.Meta(backgrounds), ctx.Meta(source), pool);
        var inputs = ctx.Items(backgrounds).ToList();
        var total = inputs.Count * per;
        var items = new NewItem[total];
        var done = 0;

        // Outputs go into one pack (not a file each), committed before the output project's rows reference them.
        using var pack = ctx.Store.Objects.BeginPack();
        await Parallel.ForAsync(0, inputs.Count, new ParallelOptions { CancellationToken = ctx.Cancellation, MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, ct) =>
        {
            var bg = inputs[i];
            var bytes = await ctx.Store.Objects.GetAsync(bg.ImageId, ct);
            using var image = ImageCodec.Decode(bytes, $"{bg.Dataset}/{bg.Name}");
            var annotation = bg.ParseAnnotation();
            var stem = Path.GetFileNameWithoutExtension(bg.Name);
            for (var k = 0; k < per; k++)
            {
                ct.ThrowIfCancellationRequested();
                var (composite, labels) = CopyPaste.Compose(image, annotation, pool, spec, $"{bg.Dataset}/{bg.Name}#{k}");
                using (composite)
                {
                    var jpeg = ImageCodec.Encode(composite, ImageFormat.Jpeg, quality);
                    PutResult put;
                    lock (pack)
                    {
                        put = pack.Add(jpeg);
                    }

                    items[(i * per) + k] = new NewItem(bg.Dataset, $"{stem}_cp{k}.jpg", put.Id, put.Size, labels);
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
            ctx.String("output"), meta, items,
            $"Copy-paste of {ctx.String("objects")} onto {ctx.String("input")}, {per} per background, seed {spec.Seed}");
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

    private static async Task<List<CutOut>> CutOutsAsync(TaskContext ctx, VersionSummary source, HashSet<string>? classes, int max)
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

            var bytes = await ctx.Store.Objects.GetAsync(item.ImageId, ctx.Cancellation);
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
