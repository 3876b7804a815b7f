using System.Diagnostics;
using System.Text.Json;
using Cairn.TestSupport;

namespace Cairn.Cli.Tests;

/// <summary>`cairn eval` end to end: the built CLI run as a process on the shared reference data.</summary>
public sealed class EvalCommandTests
{
    private static readonly string Val = SharedData.Resolve("coco-val2014-100");

    [Fact]
    public void Prints_the_pycocotools_summary()
    {
        var (code, stdout, _) = Run("eval", "--gt", Gt, "--dt", Path.Combine(Val, "instances_val2014_fakebbox100_results.json"));
        Assert.Equal(0, code);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(13, lines.Length); // pycocotools' 12 lines, then LVIS-style APr/APc/APf
        Assert.Equal(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.505", lines[0]); // expected.json: 0.50458
        Assert.StartsWith(" APr ", lines[12]);
        Assert.EndsWith("groups from the ground-truth image counts)", lines[12]); // COCO categories carry no frequency field
    }

    [Fact]
    public void Boundary_iou_type_scores_no_higher_than_mask_iou()
    {
        // Boundary IoU is min(mask IoU, boundary-region IoU), so every AP is at most the segm one; on these
        // masks (COCO's official fake results) it is strictly lower overall.
        var dt = Path.Combine(Val, "instances_val2014_fakesegm100_results.json");
        var (code, stdout, _) = Run("eval", "--gt", Gt, "--dt", dt, "--iou-type", "boundary", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("boundary", doc.RootElement.GetProperty("iou_type").GetString());
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Val, "expected.json")));
        var segm = expected.RootElement.GetProperty("segm").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var boundary = doc.RootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.True(boundary[0] < segm[0], $"boundary AP {boundary[0]} vs segm AP {segm[0]}");
        for (var i = 0; i < 12; i++)
        {
            Assert.True(boundary[i] <= segm[i] + 1e-12, $"stat {i}: boundary {boundary[i]} > segm {segm[i]}");
        }

        var bad = Run("eval", "--gt", Gt, "--dt", dt, "--iou-type", "contour");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("--iou-type must be bbox, segm or boundary, not 'contour'", bad.Stdout + bad.Stderr);
    }

    [Fact]
    public void Json_has_stats_and_per_class_equal_to_pycocotools()
    {
        var (code, stdout, _) = Run("eval", "--gt", Gt, "--dt", Path.Combine(Val, "instances_val2014_fakesegm100_results.json"), "--iou-type", "segm", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Val, "expected.json")));
        var want = expected.RootElement.GetProperty("segm").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var got = doc.RootElement.GetProperty("stats").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(want.Length, got.Length);
        for (var i = 0; i < want.Length; i++)
        {
            Assert.True(Math.Abs(want[i] - got[i]) < 1e-9, $"stat {i}: {want[i]} vs {got[i]}");
        }

        Assert.Equal(80, doc.RootElement.GetProperty("per_class").EnumerateObject().Count());
    }

    [Fact]
    public void Report_metrics_and_compare()
    {
        using var temp = new TempDir("cairn-eval-");
        var dir = temp.Path;
        var dt = Path.Combine(Val, "instances_val2014_fakebbox100_results.json");
        Assert.Equal(0, Run("eval", "--gt", Gt, "--dt", dt, "--report", Path.Combine(dir, "a", "report.html")).Code);
        Assert.Equal(0, Run("eval", "--gt", Gt, "--dt", dt, "--metrics", Path.Combine(dir, "b", "metrics.json"), "--iou", "0.75", "--name", "strict").Code);
        Assert.True(File.Exists(Path.Combine(dir, "a", "metrics.json")));
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "a", "report.html")));
        var (code, stdout, _) = Run("eval", "compare", Path.Combine(dir, "a", "metrics.json"), Path.Combine(dir, "b", "metrics.json"), "--report", Path.Combine(dir, "cmp.html"), "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(2, doc.RootElement.GetProperty("evaluations").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(dir, "cmp.html")));
    }

    [Fact]
    public void Compare_refuses_different_ground_truth()
    {
        using var temp = new TempDir("cairn-eval-");
        var dir = temp.Path;
        var small = SharedData.Resolve("coco-synthetic-small");
        Assert.Equal(0, Run("eval", "--gt", Gt, "--dt", Path.Combine(Val, "instances_val2014_fakebbox100_results.json"), "--metrics", Path.Combine(dir, "a.json")).Code);
        Assert.Equal(0, Run("eval", "--gt", Path.Combine(small, "gt.json"), "--dt", Path.Combine(small, "dt_bbox.json"), "--metrics", Path.Combine(dir, "b.json")).Code);
        var (code, _, stderr) = Run("eval", "compare", Path.Combine(dir, "a.json"), Path.Combine(dir, "b.json"));
        Assert.NotEqual(0, code);
        Assert.Contains("different ground truth", stderr.Replace("\n", " "));
    }

    [Theory]
    [InlineData("image_id", 999999, "$[5].image_id")]
    [InlineData("category_id", 4242, "$[5].category_id")]
    [InlineData("score", null, "$[5]")]
    public void Bad_detection_is_reported_with_its_json_path(string key, int? value, string path)
    {
        var dets = JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(File.ReadAllText(Path.Combine(Val, "instances_val2014_fakebbox100_results.json")))!;
        if (value is null)
        {
            dets[5].Remove(key);
        }
        else
        {
            dets[5][key] = JsonSerializer.SerializeToElement(value.Value);
        }

        using var temp = new TempDir("cairn-eval-");
        var file = temp["dt.json"];
        File.WriteAllText(file, JsonSerializer.Serialize(dets));
        var (code, _, stderr) = Run("eval", "--gt", Gt, "--dt", file);
        Assert.Equal(1, code);
        Assert.Contains($"{file}, {path}:", stderr.Replace("\n", string.Empty));
    }

    private static string Gt => Path.Combine(Val, "instances_val2014_100.json");

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "cairn.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["COLUMNS"] = "400";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit(120_000);
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
