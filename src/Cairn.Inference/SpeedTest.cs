using System.Diagnostics;
using Cairn.Inference.Internal;

namespace Cairn.Inference;

/// <summary>
/// Times a detector like the seed system's speed test: for each batch size, warm-up runs, then timed runs of
/// preprocessing, inference and postprocessing (stages run one after the other, so each is timed alone).
/// </summary>
public static class SpeedTest
{
    /// <summary>Runs the test on <paramref name="sampleImages"/> (cycled when a batch needs more than there are).</summary>
    public static Task<SpeedTestResult> RunAsync(
        OnnxDetector detector,
        IReadOnlyList<ImageInput> sampleImages,
        SpeedTestOptions? options = null,
        IProgress<SpeedTestProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(sampleImages);
        options ??= new SpeedTestOptions();
        if (sampleImages.Count == 0)
        {
            throw new ArgumentException("The speed test needs at least one sample image.", nameof(sampleImages));
        }

        if (options.BatchSizes.Count == 0 || options.BatchSizes.Any(b => b < 1))
        {
            throw new ArgumentException($"Batch sizes must be at least 1; got [{string.Join(", ", options.BatchSizes)}].", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.WarmupRuns);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Iterations, 1);
        return Task.Run(() => Run(detector, sampleImages, options, progress, cancellationToken), cancellationToken);
    }

    private static SpeedTestResult Run(
        OnnxDetector detector, IReadOnlyList<ImageInput> samples, SpeedTestOptions options, IProgress<SpeedTestProgress>? progress, CancellationToken ct)
    {
        var runs = options.WarmupRuns + options.Iterations;
        var total = runs * options.BatchSizes.Count;
        var done = 0;
        var batches = new List<BatchSpeed>(options.BatchSizes.Count);
        var next = 0;
        foreach (var requested in options.BatchSizes)
        {
            var size = detector.EffectiveBatchSize(requested);
            var batch = detector.NewBatch(size);
            double[] decode = new double[options.Iterations], pre = new double[options.Iterations], infer = new double[options.Iterations];
            double[] post = new double[options.Iterations], sum = new double[options.Iterations];
            var images = new DecodedImage[Math.Min(size, requested)];
            var keys = new string[images.Length];
            for (var run = 0; run < runs; run++)
            {
                ct.ThrowIfCancellationRequested();
                var t0 = Stopwatch.GetTimestamp();
                Parallelism.For(images.Length, detector.PreprocessThreads, ct, i =>
                {
                    var input = samples[(next + i) % samples.Count];
                    images[i] = detector.Decode(input);
                    keys[i] = input.Key;
                });
                next += images.Length;
                var t1 = Stopwatch.GetTimestamp();
                detector.Preprocess(images, keys, batch, ct);
                var t2 = Stopwatch.GetTimestamp();
                foreach (var image in images)
                {
                    image.Dispose();
                }

                var t3 = Stopwatch.GetTimestamp();
                using (var outputs = detector.Run(batch))
                {
                    var t4 = Stopwatch.GetTimestamp();
                    detector.Postprocess(outputs, batch);
                    var t5 = Stopwatch.GetTimestamp();
                    var k = run - options.WarmupRuns;
                    if (k >= 0)
                    {
                        decode[k] = Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
                        pre[k] = Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
                        infer[k] = Stopwatch.GetElapsedTime(t3, t4).TotalMilliseconds;
                        post[k] = Stopwatch.GetElapsedTime(t4, t5).TotalMilliseconds;
                        sum[k] = pre[k] + infer[k] + post[k];
                    }
                }

                progress?.Report(new SpeedTestProgress(requested, ++done, total));
            }

            batches.Add(new BatchSpeed(
                images.Length, options.Iterations, TimingStats.Of(decode), TimingStats.Of(pre), TimingStats.Of(infer), TimingStats.Of(post), TimingStats.Of(sum)));
        }

        return new SpeedTestResult(
            detector.Device, "ONNX Runtime", OnnxDetector.RuntimeVersion, detector.IntraOpThreads, detector.PreprocessThreads,
            Environment.ProcessorCount, detector.Info.InputWidth, detector.Info.InputHeight, options.WarmupRuns, batches);
    }
}
