using System.IO.Compression;

namespace Cairn.TestSupport;

/// <summary>
/// Small YOLO datasets made in the test (no reference data needed): <c>data.yaml</c> with the given class names,
/// 32×24 grey PNGs under <c>images/train</c> and one box per image in <c>labels/train</c>.
/// </summary>
public static class TinyYolo
{
    /// <summary>
    /// Writes the dataset under <paramref name="root"/>: image i is <c>{prefix}{i}.png</c>, with one box of class
    /// <c>i % classes.Length</c>. Returns the root.
    /// </summary>
    public static string Write(string root, IReadOnlyList<string> classes, int images, string prefix = "img", byte shade = 40, int noiseSize = 0)
    {
        ArgumentNullException.ThrowIfNull(classes);
        Directory.CreateDirectory(Path.Combine(root, "images", "train"));
        Directory.CreateDirectory(Path.Combine(root, "labels", "train"));
        File.WriteAllText(Path.Combine(root, "data.yaml"), $"train: images/train\nnames: [{string.Join(", ", classes)}]\n");
        for (var i = 0; i < images; i++)
        {
            var png = noiseSize > 0 ? CraftedPng.Noise(noiseSize, noiseSize, shade + i) : CraftedPng.Grey(32, 24, (byte)(shade + i));
            File.WriteAllBytes(Path.Combine(root, "images", "train", $"{prefix}{i}.png"), png);
            File.WriteAllText(Path.Combine(root, "labels", "train", $"{prefix}{i}.txt"), $"{i % classes.Count} 0.5 0.5 0.25 0.25\n");
        }

        return root;
    }

    /// <summary>The same dataset as a zip archive at <paramref name="zipPath"/>; <paramref name="noiseSize"/> &gt; 0 makes
    /// noise images of that many pixels a side (a bigger archive).</summary>
    public static string Zip(string zipPath, IReadOnlyList<string> classes, int images, string prefix = "img", byte shade = 40, int noiseSize = 0)
    {
        var dir = Path.Combine(Path.GetTempPath(), "cairn-tinyyolo-" + Guid.NewGuid().ToString("N"));
        try
        {
            Write(dir, classes, images, prefix, shade, noiseSize);
            File.Delete(zipPath);
            ZipFile.CreateFromDirectory(dir, zipPath);
            return zipPath;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
