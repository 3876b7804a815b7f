namespace Cairn.Inference.Internal;

/// <summary>Where a layout's data lives: the output indices it reads and the class count it implies.</summary>
internal readonly record struct LayoutMatch(OutputLayout Layout, int ClassCount, int Output, int ScoresOutput = -1, int LabelsOutput = -1);

/// <summary>
/// Decides a detector's output layout from its output names and (resolved) shapes, the class count when known, metadata
/// hints and an explicit override. Pure, so every rule is testable on hand-made shapes.
/// </summary>
internal static class LayoutDetector
{
    private static readonly string[] BoxNames = ["boxes", "bboxes", "det_boxes", "pred_boxes"];
    private static readonly string[] ScoreNames = ["scores", "det_scores", "confidences"];
    private static readonly string[] LabelNames = ["labels", "classes", "det_classes", "class_ids"];

    /// <summary>
    /// Picks the layout. <paramref name="classCount"/> comes from class names (metadata or caller) and disambiguates shapes;
    /// <paramref name="endToEndHint"/> is true when metadata says the export includes NMS.
    /// </summary>
    public static LayoutMatch Detect(string model, IReadOnlyList<TensorInfo> outputs, int? classCount, OutputLayout? requested, bool endToEndHint)
    {
        var named = FindNamed(outputs);
        if (requested == OutputLayout.BoxesScoresLabels || (requested is null && named is not null))
        {
            if (named is not { } n)
            {
                throw Error(model, outputs, "layout BoxesScoresLabels needs outputs named boxes, scores and labels");
            }

            var count = classCount ?? throw Error(model, outputs, "a boxes/scores/labels model does not tell its class count: give the class names");
            return n with { ClassCount = count };
        }

        var index = -1;
        for (var i = 0; i < outputs.Count; i++)
        {
            if (outputs[i].Shape.Count == 3 && outputs[i].ElementType == "Float")
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw Error(model, outputs, "expected a float output of rank 3 ([B, 4+C, N], [B, N, 5+C] or [B, N, 6]) or outputs named boxes, scores, labels");
        }

        var shape = outputs[index].Shape;
        long d1 = shape[1], d2 = shape[2];
        if (d1 < 1 || d2 < 1)
        {
            throw Error(model, outputs, $"output '{outputs[index].Name}' has dynamic feature dimensions; give the layout and class names");
        }

        var fits = new List<LayoutMatch>(4);
        if (d1 >= 5 && d1 < d2)
        {
            fits.Add(new LayoutMatch(OutputLayout.YoloChannelsFirst, (int)d1 - 4, index));
        }

        if (d2 >= 5 && d1 > d2)
        {
            fits.Add(new LayoutMatch(OutputLayout.YoloChannelsLast, (int)d2 - 4, index));
        }

        if (d2 >= 6 && d1 > d2)
        {
            fits.Add(new LayoutMatch(OutputLayout.YoloObjectness, (int)d2 - 5, index));
        }

        if (d2 == 6)
        {
            fits.Add(new LayoutMatch(OutputLayout.EndToEnd, classCount ?? 0, index));
        }

        if (requested is { } want)
        {
            // An explicit layout only needs the shape to allow it; d1 vs d2 ordering is the caller's call.
            var forced = want switch
            {
                OutputLayout.YoloChannelsFirst when d1 >= 5 => new LayoutMatch(want, (int)d1 - 4, index),
                OutputLayout.YoloChannelsLast when d2 >= 5 => new LayoutMatch(want, (int)d2 - 4, index),
                OutputLayout.YoloObjectness when d2 >= 6 => new LayoutMatch(want, (int)d2 - 5, index),
                OutputLayout.EndToEnd when d2 == 6 => new LayoutMatch(want, classCount ?? 0, index),
                _ => throw Error(model, outputs, $"layout {want} was asked for but output '{outputs[index].Name}' has the wrong shape for it"),
            };
            return CheckClasses(model, outputs, forced, classCount);
        }

        if (classCount is { } known)
        {
            fits.RemoveAll(f => f.Layout != OutputLayout.EndToEnd && f.ClassCount != known);
        }

        if (endToEndHint && fits.Exists(f => f.Layout == OutputLayout.EndToEnd))
        {
            return CheckClasses(model, outputs, fits.Find(f => f.Layout == OutputLayout.EndToEnd), classCount);
        }

        if (fits.Count == 1)
        {
            return CheckClasses(model, outputs, fits[0], classCount);
        }

        if (fits.Count == 0)
        {
            var why = classCount is { } c
                ? $"no layout fits with {c} classes: expected [B, {c + 4}, N], [B, N, {c + 4}], [B, N, {c + 5}] or [B, N, 6]"
                : "expected [B, 4+C, N] (YOLOv8), [B, N, 5+C] (YOLOv5), [B, N, 6] (end-to-end) or outputs named boxes, scores, labels";
            throw Error(model, outputs, why);
        }

        // Without class names, [B, N, F] is what YOLOv5 exports; the transposed YOLOv8 form needs names or the layout.
        if (classCount is null && d2 != 6 && fits.TrueForAll(f => f.Layout is OutputLayout.YoloChannelsLast or OutputLayout.YoloObjectness))
        {
            return fits.Find(f => f.Layout == OutputLayout.YoloObjectness);
        }

        throw Error(model, outputs, $"ambiguous: the shapes fit {string.Join(", ", fits.Select(f => f.Layout))}; give the layout (and class names)");
    }

    private static LayoutMatch CheckClasses(string model, IReadOnlyList<TensorInfo> outputs, LayoutMatch match, int? classCount)
    {
        if (match.Layout == OutputLayout.EndToEnd)
        {
            return classCount is null
                ? throw Error(model, outputs, "an end-to-end [B, N, 6] model does not tell its class count: give the class names")
                : match;
        }

        return classCount is { } c && c != match.ClassCount
            ? throw Error(model, outputs, $"layout {match.Layout} implies {match.ClassCount} classes but {c} class names were given")
            : match;
    }

    private static LayoutMatch? FindNamed(IReadOnlyList<TensorInfo> outputs)
    {
        int boxes = Find(outputs, BoxNames), scores = Find(outputs, ScoreNames), labels = Find(outputs, LabelNames);
        if (boxes < 0 || scores < 0 || labels < 0)
        {
            return null;
        }

        var b = outputs[boxes].Shape;
        return b.Count == 3 && b[2] == 4 && outputs[scores].Shape.Count == 2 && outputs[labels].Shape.Count == 2
            ? new LayoutMatch(OutputLayout.BoxesScoresLabels, 0, boxes, scores, labels)
            : null;
    }

    private static int Find(IReadOnlyList<TensorInfo> outputs, string[] names)
    {
        for (var i = 0; i < outputs.Count; i++)
        {
            if (Array.Exists(names, n => string.Equals(n, outputs[i].Name, StringComparison.OrdinalIgnoreCase)))
            {
                return i;
            }
        }

        return -1;
    }

    private static ModelFormatException Error(string model, IReadOnlyList<TensorInfo> outputs, string why) =>
        new($"Model '{model}': {why}. Found outputs: {string.Join(", ", outputs)}.");
}
