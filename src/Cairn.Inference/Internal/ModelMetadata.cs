using System.Globalization;
using System.Text.RegularExpressions;

namespace Cairn.Inference.Internal;

/// <summary>Reads what Ultralytics exports put in ONNX metadata: <c>names</c>, <c>imgsz</c>, and whether NMS is inside.</summary>
internal static partial class ModelMetadata
{
    /// <summary>Class names from <c>{0: 'person', 1: 'bicycle'}</c> (Python dict) or <c>["a", "b"]</c>; empty when absent.</summary>
    public static IReadOnlyList<string> ClassNames(IReadOnlyDictionary<string, string> map)
    {
        if (!map.TryGetValue("names", out var text))
        {
            return [];
        }

        var dict = DictEntry().Matches(text);
        if (dict.Count > 0)
        {
            var byIndex = new SortedDictionary<int, string>();
            foreach (Match m in dict)
            {
                byIndex[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)] = m.Groups[3].Value;
            }

            // Only a dense 0..n-1 map is usable as an index.
            return byIndex.Keys.Select((k, i) => k == i).All(x => x) ? byIndex.Values.ToArray() : [];
        }

        return ListEntry().Matches(text).Select(m => m.Groups[2].Value).ToArray();
    }

    /// <summary>Square or [h, w] input size from <c>imgsz</c>, or null.</summary>
    public static (int Height, int Width)? ImageSize(IReadOnlyDictionary<string, string> map)
    {
        if (!map.TryGetValue("imgsz", out var text))
        {
            return null;
        }

        var numbers = Number().Matches(text).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        return numbers.Length switch
        {
            1 => (numbers[0], numbers[0]),
            2 => (numbers[0], numbers[1]),
            _ => null,
        };
    }

    /// <summary>True when the export says its graph already applies NMS (<c>end2end</c>, or <c>'nms': True</c> in <c>args</c>).</summary>
    public static bool EndToEnd(IReadOnlyDictionary<string, string> map) =>
        (map.TryGetValue("end2end", out var e) && e.Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
        || (map.TryGetValue("args", out var a) && NmsArg().IsMatch(a));

    [GeneratedRegex(@"(\d+)\s*:\s*(['""])(.*?)\2")]
    private static partial Regex DictEntry();

    [GeneratedRegex(@"(['""])(.*?)\1")]
    private static partial Regex ListEntry();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();

    [GeneratedRegex(@"['""]nms['""]\s*:\s*(True|true)")]
    private static partial Regex NmsArg();
}
