using System.Diagnostics;

namespace Cairn.Inference.Bench;

/// <summary>Times letterboxing through the public pipeline's preprocessing on an in-memory PNG-free frame.</summary>
internal static class LetterboxTiming
{
    public static double MedianMs(int width, int height, int target)
    {
        var rgba = new byte[width * height * 4];
        new Random(1).NextBytes(rgba);
        var t = LetterboxTransform.Compute(width, height, target, target);
        var chw = new float[3 * target * target];
        var samples = new double[50];
        for (var i = -5; i < samples.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Cairn.Inference.Internal.Letterbox.Apply(rgba, width * 4, in t, chw);
            if (i >= 0)
            {
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }

        Array.Sort(samples);
        return samples[samples.Length / 2];
    }
}
