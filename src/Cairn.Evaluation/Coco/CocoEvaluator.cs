using System.Runtime.ExceptionServices;
using Cairn.Core.Formats;
using Cairn.Evaluation.Coco.Internal;

namespace Cairn.Evaluation.Coco;

/// <summary>
/// COCO detection evaluation that reproduces pycocotools' COCOeval (evaluate, accumulate, summarize)
/// number for number, for boxes and masks. Categories are evaluated in parallel.
/// </summary>
public static class CocoEvaluator
{
    /// <summary>Evaluates checked results against their ground truth.</summary>
    public static CocoEvalResult Evaluate(CocoResults results, IouType iouType, CocoParams? parameters = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(results);
        var p = parameters ?? CocoParams.Default;
        var gt = results.GroundTruth;
        var data = new CocoPrepared(results, iouType);
        int t = p.IouThresholds.Count, r = p.RecallThresholds.Count, k = gt.Categories.Count, a = p.AreaRanges.Count, m = p.MaxDetections.Count;
        var precision = new double[(long)t * r * k * a * m];
        var recall = new double[(long)t * k * a * m];
        Array.Fill(precision, -1);
        Array.Fill(recall, -1);
        var done = 0;

        // Largest categories first, so the two cores finish together.
        var order = Enumerable.Range(0, k)
            .OrderByDescending(c => (long)(data.GtStart[c + 1] - data.GtStart[c]) + data.DtStart[c + 1] - data.DtStart[c])
            .ToArray();
        try
        {
            Parallel.ForEach(
                System.Collections.Concurrent.Partitioner.Create(order, loadBalance: true),
                new ParallelOptions { CancellationToken = cancellationToken },
                () => new CategoryWorker(data, p),
                (c, _, worker) =>
                {
                    worker.Run(c, precision, recall, k);
                    var n = Interlocked.Increment(ref done);
                    progress?.Report((double)n / k);
                    return worker;
                },
                _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is DatasetFormatException) is { } bad)
        {
            // Bad input found by a worker (a malformed mask, a ground truth without a segmentation) is reported as
            // itself, as a file reader would, not wrapped.
            ExceptionDispatchInfo.Throw(bad);
        }

        return new CocoEvalResult(iouType, p, gt.Categories, precision, recall, gt.Fingerprint);
    }

    /// <summary>Evaluates in-memory ground truth and detections.</summary>
    public static CocoEvalResult Evaluate(CocoDataset groundTruth, IReadOnlyList<CocoDetection> detections, IouType iouType, CocoParams? parameters = null, CancellationToken cancellationToken = default) =>
        Evaluate(CocoResults.Create(groundTruth, detections), iouType, parameters, null, cancellationToken);
}
