using Cairn.Core.Formats;
using Cairn.Core.Memory;
using Cairn.Evaluation.Coco.Internal;

namespace Cairn.Evaluation.Coco;

/// <summary>
/// Detection results checked against a ground truth: every image and category must exist there, as
/// pycocotools' loadRes requires (it asserts on unknown images; unknown categories are refused here too).
/// </summary>
public sealed class CocoResults
{
    private CocoResults(CocoDataset groundTruth, CocoDetection[] detections, string source)
    {
        GroundTruth = groundTruth;
        Detections = detections;
        DetectionArray = detections;
        Source = source;
        DetImage = new int[detections.Length];
        DetCategory = new int[detections.Length];
        DetScore = new double[detections.Length];
        DetBox = new CocoBox[detections.Length];
        var root = source.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "$" : "detections";
        for (var i = 0; i < detections.Length; i++)
        {
            ref readonly var d = ref detections[i];
            if (!groundTruth.ImageIndex.TryGetValue(d.ImageId, out DetImage[i]))
            {
                throw new DatasetFormatException(source, $"{root}[{i}].image_id", $"image {d.ImageId} is not in the ground truth ({groundTruth.Source})");
            }

            if (!groundTruth.CategoryIndex.TryGetValue(d.CategoryId, out DetCategory[i]))
            {
                throw new DatasetFormatException(source, $"{root}[{i}].category_id", $"category {d.CategoryId} is not one of the ground truth's {groundTruth.Categories.Count} categories");
            }

            if (!double.IsFinite(d.Score))
            {
                throw new DatasetFormatException(source, $"{root}[{i}].score", "expected a finite number");
            }

            if (d.Box is null && d.Segmentation is null)
            {
                throw new DatasetFormatException(source, $"{root}[{i}]", "result has neither \"bbox\" nor \"segmentation\"");
            }

            DetScore[i] = d.Score;
            DetBox[i] = d.Box.GetValueOrDefault();
        }

        // pycocotools' loadRes takes the kind of the whole file from its first result: boxes (area = w × h, and
        // every result must then carry a box) or segmentations (area = mask area, box = the mask's bounds).
        BoxMode = detections.Length > 0 && detections[0].Box is not null;
        if (BoxMode)
        {
            for (var i = 0; i < detections.Length; i++)
            {
                if (detections[i].Box is null)
                {
                    throw new DatasetFormatException(source, $"{root}[{i}].bbox", "missing: the first result has a box, so every result needs one");
                }
            }
        }
    }

    /// <summary>The ground truth these results were checked against.</summary>
    public CocoDataset GroundTruth { get; }

    /// <summary>The detections in their original order (their COCO result ids are index + 1).</summary>
    public IReadOnlyList<CocoDetection> Detections { get; }

    /// <summary>Where the results came from.</summary>
    public string Source { get; }

    internal CocoDetection[] DetectionArray { get; }

    internal int[] DetImage { get; }

    internal int[] DetCategory { get; }

    /// <summary>
    /// Each detection's score, and its box (zero when it has none), in dense arrays: the evaluation's sort and IoU
    /// read them for every detection in an order of their own, and a whole detection per read cost cache misses.
    /// </summary>
    internal double[] DetScore { get; }

    /// <inheritdoc cref="DetScore"/>
    internal CocoBox[] DetBox { get; }

    /// <summary>True when results are boxes (pycocotools' bbox branch of loadRes), false when segmentations.</summary>
    internal bool BoxMode { get; }

    /// <summary>Reads a COCO results JSON file (a list of {image_id, category_id, score, bbox | segmentation}).</summary>
    public static CocoResults Load(string path, CocoDataset groundTruth)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        return Create(groundTruth, Parse(path), path);
    }

    /// <summary>Checks in-memory detections against the ground truth.</summary>
    public static CocoResults Create(CocoDataset groundTruth, IReadOnlyList<CocoDetection> detections, string source = "detections")
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(detections);
        var array = detections as CocoDetection[] ?? [.. detections];
        return new CocoResults(groundTruth, array, source);
    }

    /// <summary>Parses a results file without checking it against a ground truth (so it can run beside the ground truth's load).</summary>
    public static IReadOnlyList<CocoDetection> Parse(string path) => Parse(path, MappedFile.DefaultMinLength);

    /// <summary>Parses a results file, mapped when it is at least <paramref name="mapFrom"/> bytes long.</summary>
    internal static IReadOnlyList<CocoDetection> Parse(string path, long mapFrom)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Mapped, not read (MappedFile says why): the masks of a segm file stay slices of the mapping until evaluated.
        var bytes = MappedFile.Read(path, mapFrom);
        var detections = CocoJson.ReadDetectionsParallel(bytes, path);
        GC.KeepAlive(bytes);
        return detections;
    }

    /// <summary>Loads a ground truth and a results file at the same time (two threads).</summary>
    public static CocoResults LoadPair(string groundTruthPath, string resultsPath) => LoadPair(groundTruthPath, resultsPath, withSegmentations: true);

    /// <summary>
    /// Loads a ground truth and a results file at the same time (two threads), for an evaluation of
    /// <paramref name="iouType"/>: the ground truth's segmentations are not read for boxes.
    /// </summary>
    public static CocoResults LoadPair(string groundTruthPath, string resultsPath, IouType iouType) => LoadPair(groundTruthPath, resultsPath, withSegmentations: iouType != IouType.Bbox);

    private static CocoResults LoadPair(string groundTruthPath, string resultsPath, bool withSegmentations)
    {
        var dtTask = Task.Run(() => Parse(resultsPath));
        var gt = CocoDataset.Load(groundTruthPath, withSegmentations);
        var dets = dtTask.GetAwaiter().GetResult();
        return Create(gt, dets, resultsPath);
    }
}
