using System.Globalization;
using System.Text.Json;
using Cairn.Evaluation.Voc;
using Cairn.TestSupport;

namespace Cairn.Evaluation.Tests.Voc;

/// <summary>Expected values: ../shared/data/padilla-voc/expected.json (Object-Detection-Metrics README and tests), given to 10 places.</summary>
public sealed class VocEvaluatorTests
{
    [Theory]
    [InlineData("ap_11_point", VocInterpolation.ElevenPoint)]
    [InlineData("ap_all_point", VocInterpolation.AllPoint)]
    public void Padilla_sample_ap_equals_reference(string key, VocInterpolation method)
    {
        var dir = SharedData.Resolve("padilla-voc");
        var gts = VocTextFormat.LoadFolder(Path.Combine(dir, "groundtruths"), detections: false);
        var dts = VocTextFormat.LoadFolder(Path.Combine(dir, "detections"), detections: true);
        Assert.Equal(15, gts.Count);
        Assert.Equal(24, dts.Count);
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, "expected.json")));
        foreach (var p in expected.RootElement.GetProperty(key).EnumerateObject())
        {
            var thr = double.Parse(p.Name, CultureInfo.InvariantCulture);
            var result = VocEvaluator.EvaluateClass(gts, dts, "person", thr, method);
            Assert.True(Math.Abs(result.Ap - p.Value.GetDouble()) < 1e-9, $"{key} at IoU {thr}: expected {p.Value.GetDouble()}, got {result.Ap}");
        }
    }

    [Fact]
    public void Iou_counts_the_end_pixel()
    {
        // Two 10×10 boxes (x..x+9 covers 10 pixels plus one with +1 = 11 per side) overlapping by half:
        // intersection 6 × 11 = 66, areas 121 each, IoU 66 / 176.
        var a = new VocBox("i", "c", 0, 0, 10, 10);
        var b = new VocBox("i", "c", 5, 0, 10, 10);
        Assert.Equal(66.0 / 176.0, VocEvaluator.Iou(a, b), 12);
    }

    [Fact]
    public void Malformed_line_names_file_and_line()
    {
        using var dir = new TempDir();
        dir.Write("a.txt", "person 1 2 3 4\nperson x 2 3 4\n");
        var e = Assert.Throws<Cairn.Core.Formats.DatasetFormatException>(() => VocTextFormat.LoadFolder(dir.Path, detections: false));
        Assert.Equal("line 2", e.Location);
    }
}
