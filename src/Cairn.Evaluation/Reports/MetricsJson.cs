using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Core.Formats;
using Cairn.Evaluation.Coco;
using Cairn.Evaluation.Diagnostics;
using Cairn.Evaluation.Reports.Internal;

namespace Cairn.Evaluation.Reports;

/// <summary>Builds, writes and reads metrics.json (snake_case JSON of <see cref="EvaluationMetrics"/>).</summary>
public static class MetricsJson
{
    /// <summary>The serializer settings used for metrics.json.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        TypeInfoResolver = MetricsJsonContext.Default,
    };

    /// <summary>Collects an evaluation's numbers.</summary>
    public static EvaluationMetrics Create(CocoResults results, CocoEvalResult coco, DetectionDiagnostics? diagnostics, string? name = null, TimeProvider? clock = null, IReadOnlyDictionary<string, double>? timings = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(coco);
        var gt = results.GroundTruth;
        var perClass = new Dictionary<string, ClassMetrics>();
        var t75 = IndexOf(coco.Params.IouThresholds, .75);
        var t50 = IndexOf(coco.Params.IouThresholds, .5);
        for (var k = 0; k < coco.Categories.Count; k++)
        {
            var cat = coco.Categories[k];
            var d = diagnostics?.Classes[k];
            var key = perClass.ContainsKey(cat.Name) ? $"{cat.Name} ({cat.Id})" : cat.Name;
            perClass[key] = new ClassMetrics(
                cat.Id,
                coco.CategoryAp(k),
                t50 < 0 ? -1 : coco.CategoryAp(k, t50),
                t75 < 0 ? -1 : coco.CategoryAp(k, t75),
                coco.CategoryAr(k),
                d?.GroundTruths ?? gt.Annotations.Count(a => a.CategoryId == cat.Id && !a.IsCrowd),
                d?.Detections ?? 0,
                d?.Counts.Tp ?? 0,
                d?.Counts.Fp ?? 0,
                d?.Counts.Fn ?? 0,
                d?.Precision ?? 0,
                d?.Recall ?? 0,
                d?.F1 ?? 0);
        }

        return new EvaluationMetrics
        {
            Name = name ?? Path.GetFileNameWithoutExtension(results.Source),
            CreatedUtc = (clock ?? TimeProvider.System).GetUtcNow(),
            IouType = coco.IouType switch { IouType.Segm => "segm", IouType.Boundary => "boundary", _ => "bbox" },
            Dataset = new DatasetInfo(gt.Source, gt.Fingerprint, gt.Images.Count, gt.Categories.Count, gt.Annotations.Count, results.Source, results.Detections.Count),
            StatNames = CocoEvalResult.StatNames,
            Stats = coco.Stats,
            PerClass = perClass,
            Frequency = FrequencyGroups.Compute(gt, coco),
            Diagnostics = diagnostics,
            TimingsS = timings,
        };
    }

    /// <summary>Writes metrics.json.</summary>
    public static void Write(EvaluationMetrics metrics, string path)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(metrics, Options));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The JSON text of the metrics.</summary>
    public static string ToJson(EvaluationMetrics metrics) => JsonSerializer.Serialize(metrics, Options);

    /// <summary>Reads metrics.json; refuses other formats and versions with a message naming the file.</summary>
    public static EvaluationMetrics Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        EvaluationMetrics? m;
        try
        {
            m = JsonSerializer.Deserialize<EvaluationMetrics>(File.ReadAllBytes(path), Options);
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(path, e.Path, $"not a Cairn metrics.json: {e.Message}", e);
        }

        if (m is null || m.Format != "cairn-evaluation")
        {
            throw new DatasetFormatException(path, "$.format", "expected \"cairn-evaluation\": this is not a metrics.json written by `cairn eval`");
        }

        if (m.Version != EvaluationMetrics.CurrentVersion)
        {
            throw new DatasetFormatException(path, "$.version", $"version {m.Version} is not supported (this build reads version {EvaluationMetrics.CurrentVersion})");
        }

        return m;
    }

    private static int IndexOf(IReadOnlyList<double> list, double v)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == v)
            {
                return i;
            }
        }

        return -1;
    }
}
