namespace Cairn.Evaluation.Reports.Internal;

/// <summary>The confusion matrix as a heat map (at most 25 classes: those with the most objects and detections), shared by the report and the comparison.</summary>
internal static class ConfusionView
{
    public static string Render(Diagnostics.DetectionDiagnostics d)
    {
        var labels = d.Confusion.Labels;
        var k = labels.Count - 1;
        var keep = Enumerable.Range(0, k).ToList();
        var note = string.Empty;
        if (k > 25)
        {
            keep = [.. Enumerable.Range(0, k).OrderByDescending(i => d.Confusion.Counts[i].Sum() + Enumerable.Range(0, k + 1).Sum(r => r == i ? 0 : d.Confusion.Counts[r][i])).Take(25).Order()];
            note = $"<p class=\"muted\">Showing the 25 of {k} classes with the most objects and detections; metrics.json holds the full matrix.</p>";
        }

        keep.Add(k);
        var sub = keep.Select(r => (IReadOnlyList<int>)[.. keep.Select(c => d.Confusion.Counts[r][c])]).ToList();
        return note + Svg.Heatmap([.. keep.Select(i => labels[i])], sub, "true class", "predicted class");
    }
}
