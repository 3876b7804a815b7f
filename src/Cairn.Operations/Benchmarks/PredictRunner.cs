using System.Runtime.CompilerServices;
using Cairn.Core.Model;
using Cairn.Inference;
using Cairn.Operations.Models;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;

namespace Cairn.Operations.Benchmarks;

/// <summary>
/// Applies a model to a version and writes the predictions as a new project: same images (no bytes copied), labels are the
/// model's boxes with their confidence, classes are the model's classes.
/// </summary>
public sealed class PredictRunner(CairnStore store, ProjectService projects, ModelRegistry registry, VersionService versions)
{
    /// <summary>Runs the model over every item of <paramref name="version"/> and creates project <paramref name="outputName"/>.</summary>
    public async Task<ProjectRow> RunAsync(ModelRow model, VersionSummary version, string outputName, DetectionOptions? detection = null, int batchSize = 8, long? taskId = null, IProgress<BenchmarkProgress>? progress = null, CancellationToken ct = default)
    {
        if (projects.Find(outputName) is not null)
        {
            throw new ProjectExistsException(outputName);
        }

        var classes = ModelRegistry.Classes(model);
        using var detector = registry.Open(model, detection ?? DetectionOptions.Prediction);
        var sources = new List<VersionItem>();
        var items = new List<NewItem>();
        long done = 0;
        await foreach (var r in detector.DetectAsync(Images(versions.ReadAll(version), sources, ct), batchSize, ct))
        {
            var src = sources[int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture)];
            var predicted = r.ToAnnotation(classes);
            items.Add(new NewItem(src.Dataset, src.Name, src.ImageId, src.ImageSize, predicted with { Width = src.Width, Height = src.Height }));
            if ((++done & 15) == 0)
            {
                progress?.Report(new BenchmarkProgress("inference", done, version.Items));
            }
        }

        var palette = new[] { "#F25454", "#5482F2", "#B0F254", "#F254DE", "#54F2D7", "#F2A954", "#7C54F2", "#5BF254" };
        var meta = new ProjectMeta(classes.Select((c, i) => new ObjClass(c, GeometryKind.Rectangle, palette[i % palette.Length])).ToList(), []);
        return projects.CreateWithItems(outputName, meta, items, $"Predictions of {model.Name} on version {version.Number}", createdByTaskId: taskId, ct: ct)
            ?? throw new ProjectExistsException(outputName);
    }

    private async IAsyncEnumerable<ImageInput> Images(IEnumerable<VersionItem> items, List<VersionItem> sources, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var item in items)
        {
            var key = sources.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sources.Add(item);
            yield return new ImageInput(key, await store.Objects.GetAsync(item.ImageId, ct));
        }
    }
}
