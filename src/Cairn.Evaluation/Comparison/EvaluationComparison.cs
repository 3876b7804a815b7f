using Cairn.Evaluation.Reports;

namespace Cairn.Evaluation.Comparison;

/// <summary>
/// Several evaluations of the same ground truth side by side: key metrics with the best marked, and AP per class.
/// Build one with <see cref="TryCreate"/>, which refuses evaluations of different ground truths.
/// </summary>
public sealed record EvaluationComparison(IReadOnlyList<EvaluationMetrics> Evaluations, IReadOnlyList<MetricRow> KeyMetrics, IReadOnlyList<MetricRow> ApPerClass)
{
    /// <summary>
    /// Compares evaluations when they share one ground truth (same fingerprint: images, classes and objects) and one
    /// IoU type; otherwise returns null and says why in <paramref name="problem"/>.
    /// </summary>
    public static EvaluationComparison? TryCreate(IReadOnlyList<EvaluationMetrics> evaluations, out string problem)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        if (evaluations.Count < 2)
        {
            problem = "a comparison needs at least two evaluations";
            return null;
        }

        var first = evaluations[0];
        for (var i = 1; i < evaluations.Count; i++)
        {
            var e = evaluations[i];
            if (e.Dataset.GroundTruthFingerprint != first.Dataset.GroundTruthFingerprint && SameData(e.Dataset, first.Dataset)
                && !e.PerClass.Keys.SequenceEqual(first.PerClass.Keys))
            {
                // Same images and objects, other categories: the models' class lists made the ground truth's categories.
                problem = $"'{e.Name}' and '{first.Name}' were evaluated on the same data ({first.Dataset.GroundTruthPath}) with different class lists "
                    + $"([{string.Join(", ", e.PerClass.Keys)}] vs [{string.Join(", ", first.PerClass.Keys)}]); "
                    + "map the models' classes to the same names (--classes or --classes-file) and benchmark again";
                return null;
            }

            if (e.Dataset.GroundTruthFingerprint != first.Dataset.GroundTruthFingerprint)
            {
                problem = $"'{e.Name}' was evaluated on a different ground truth than '{first.Name}': a different dataset or version "
                    + $"({e.Dataset.Images} images / {e.Dataset.Categories} classes / {e.Dataset.Annotations} objects from {e.Dataset.GroundTruthPath} vs "
                    + $"{first.Dataset.Images} / {first.Dataset.Categories} / {first.Dataset.Annotations} from {first.Dataset.GroundTruthPath}); "
                    + "numbers on different images or classes are not comparable";
                return null;
            }

            if (e.IouType != first.IouType)
            {
                problem = $"'{e.Name}' and '{first.Name}' were evaluated on the same ground truth with different settings: IoU type {e.IouType} vs {first.IouType}";
                return null;
            }
        }

        var rows = new List<MetricRow>();
        for (var s = 0; s < first.Stats.Count; s++)
        {
            rows.Add(Row(first.StatNames[s], evaluations.Select(e => e.Stats[s]), true));
        }

        if (evaluations.All(e => e.Diagnostics is not null))
        {
            rows.Add(Row("precision", evaluations.Select(e => e.Diagnostics!.Overall.Precision), true));
            rows.Add(Row("recall", evaluations.Select(e => e.Diagnostics!.Overall.Recall), true));
            rows.Add(Row("F1", evaluations.Select(e => e.Diagnostics!.Overall.F1), true));
            rows.Add(Row("confidence threshold", evaluations.Select(e => e.Diagnostics!.ConfidenceThreshold), null));
            rows.Add(Row("true positives", evaluations.Select(e => (double)e.Diagnostics!.Overall.Tp), true));
            rows.Add(Row("false positives", evaluations.Select(e => (double)e.Diagnostics!.Overall.Fp), false));
            rows.Add(Row("false negatives", evaluations.Select(e => (double)e.Diagnostics!.Overall.Fn), false));
            rows.Add(Row("mean IoU of TPs", evaluations.Select(e => e.Diagnostics!.MeanTpIou), true));
            rows.Add(Row("class accuracy of localised", evaluations.Select(e => e.Diagnostics!.ClassificationAccuracy), true));
            rows.Add(Row("calibration error (ECE)", evaluations.Select(e => e.Diagnostics!.Calibration.Ece), false));
        }

        var perClass = first.PerClass.Keys
            .Select(name => Row(name, evaluations.Select(e => e.PerClass.TryGetValue(name, out var c) ? c.Ap : double.NaN), true))
            .ToList();
        problem = string.Empty;
        return new EvaluationComparison(evaluations, rows, perClass);
    }

    private static bool SameData(DatasetInfo a, DatasetInfo b) =>
        a.GroundTruthPath == b.GroundTruthPath && a.Images == b.Images && a.Annotations == b.Annotations;

    private static MetricRow Row(string name, IEnumerable<double> values, bool? higherIsBetter)
    {
        var v = values.ToArray();
        var best = -1;
        if (higherIsBetter is bool hib)
        {
            for (var i = 0; i < v.Length; i++)
            {
                if (!double.IsFinite(v[i]) || v[i] < 0)
                {
                    continue; // -1 means undefined in COCO output
                }

                if (best < 0 || (hib ? v[i] > v[best] : v[i] < v[best]))
                {
                    best = i;
                }
            }
        }

        return new MetricRow(name, v, higherIsBetter ?? true, best);
    }
}
