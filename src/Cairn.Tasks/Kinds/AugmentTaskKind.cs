using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Cairn.Operations.Augment;
using Cairn.Storage;
using Cairn.Storage.Objects;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;

namespace Cairn.Tasks.Kinds;

/// <summary>The <c>augment</c> kind's parameters: the JSON pipeline document (docs/operations.md), and whether the originals are kept too.</summary>
public sealed record AugmentParameters(
    [property: Description(TaskParameters.InputSpec)] string Input,
    [property: Description(TaskParameters.NewProject)] string Output,
    [property: Description("a pipeline document {\"seed\":…,\"steps\":[{\"op\":\"hflip\",\"p\":0.5},…]} (see docs/operations.md)")] JsonObject Pipeline,
    bool KeepOriginals = false) : IValidatableParameters
{
    /// <inheritdoc/>
    public string? Validate()
    {
        try
        {
            _ = AugmentPipeline.FromJson(Pipeline.ToJsonString(), "parameter 'pipeline'");
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or Core.Formats.DatasetFormatException or System.Text.Json.JsonException)
        {
            return PathInPipeline(e.Message);
        }
    }

    // "parameter 'pipeline': line 1, $.steps[1].p: …" → "parameter 'pipeline.steps[1].p': …": the message names the field
    // the way every other parameter problem does, so a form can put it beside that field.
    private static string PathInPipeline(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^parameter 'pipeline': (?:line \d+, )?\$\.(?<path>[A-Za-z0-9_.\[\]]+): (?<rest>.*)$", System.Text.RegularExpressions.RegexOptions.Singleline);
        return m.Success ? $"parameter 'pipeline.{m.Groups["path"].Value}': {m.Groups["rest"].Value}" : message;
    }
}

/// <summary>
/// <c>augment</c>: runs an augmentation pipeline over every image of the input version on all cores, writing the outputs
/// (images and transformed labels) as a new project (<see cref="AugmentParameters"/>).
/// </summary>
public sealed class AugmentTaskKind(CairnStore store, ProjectService projects) : TaskKind<AugmentParameters>
{
    /// <inheritdoc/>
    public override string Kind => "augment";

    /// <inheritdoc/>
    protected override string Title(AugmentParameters p) => $"augment {p.Input} → {p.Output}";

    /// <inheritdoc/>
    protected override string? Check(AugmentParameters p) => Taken(projects, p.Output);

    /// <inheritdoc/>
    protected override async Task RunAsync(TaskContext ctx, AugmentParameters p)
    {
        var version = ctx.ReadInput(p.Input);
        var meta = ctx.Meta(version);
        var pipeline = AugmentPipeline.FromJson(p.Pipeline.ToJsonString(), "parameter 'pipeline'", meta);
        var keep = p.KeepOriginals;
        var items = new List<NewItem>();
        var total = Math.Max(1, version.Items);

        // Outputs go into one pack (a file per image would cost an inode allocation each), committed before the
        // output project's rows reference them; a failed or cancelled task disposes it, leaving nothing behind.
        using var pack = store.Objects.BeginPack();
        var written = await AugmentRunner.RunAsync(
            pipeline,
            Inputs(ctx, version, keep, items),
            (output, ct) =>
            {
                var src = (VersionItem)output.Tag!;
                PutResult put;
                lock (pack)
                {
                    put = pack.Add(output.Image);
                }

                var stem = Path.GetFileNameWithoutExtension(src.Name);
                var ext = output.Format.ToString().ToLowerInvariant() switch { "jpeg" => ".jpg", var e => "." + e };
                lock (items)
                {
                    items.Add(new NewItem(src.Dataset, $"{stem}_aug{output.Index}{ext}", put.Id, put.Size, output.Annotation));
                }

                return ValueTask.CompletedTask;
            },
            progress: new Progress<long>(n => ctx.Report(0.9 * n / total, "augmenting")),
            cancellationToken: ctx.Cancellation);
        pack.Commit();
        var (project, output) = ctx.CreateOutputProject(p.Output, meta, items, $"Augmented from version {version.Number}");
        ctx.Result = new JsonObject { ["project"] = project.Name, ["version"] = output.Number, ["outputs"] = written, ["items"] = output.Items };
        ctx.Log($"wrote {written} augmented images{(keep ? " plus the originals" : string.Empty)}");
    }

    private async IAsyncEnumerable<AugmentInput> Inputs(TaskContext ctx, VersionSummary version, bool keep, List<NewItem> items, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var item in ctx.Items(version))
        {
            var key = item.Dataset + "/" + item.Name;
            if (keep)
            {
                lock (items)
                {
                    items.Add(new NewItem(item.Dataset, item.Name, item.ImageId, item.ImageSize, item.ParseAnnotation()));
                }
            }

            // The source item rides along as the tag, so the sink needs no shared lookup table.
            yield return new AugmentInput(key, await store.Objects.GetAsync(item.ImageId, ct), item.ParseAnnotation()) { Tag = item };
        }
    }
}
