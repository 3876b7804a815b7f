using System.Globalization;
using Cairn.Core.Formats;

namespace Cairn.Evaluation.Voc;

/// <summary>
/// The plain-text box format of Object-Detection-Metrics: one file per image, one box per line,
/// <c>class left top width height</c> for ground truth and <c>class confidence left top width height</c> for detections.
/// </summary>
public static class VocTextFormat
{
    /// <summary>Reads every *.txt in a folder (image id = file name without extension), in name order.</summary>
    public static IReadOnlyList<VocBox> LoadFolder(string folder, bool detections)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var boxes = new List<VocBox>();
        foreach (var file in Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal))
        {
            var image = Path.GetFileNameWithoutExtension(file);
            var lineNo = 0;
            foreach (var raw in File.ReadLines(file))
            {
                lineNo++;
                var line = raw.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                var want = detections ? 6 : 5;
                if (parts.Length != want)
                {
                    throw new DatasetFormatException(file, $"line {lineNo}", detections
                        ? $"expected 'class confidence left top width height', found {parts.Length} fields"
                        : $"expected 'class left top width height', found {parts.Length} fields");
                }

                var v = new double[want - 1];
                for (var i = 1; i < want; i++)
                {
                    if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i - 1]))
                    {
                        throw new DatasetFormatException(file, $"line {lineNo}", $"field {i + 1} '{parts[i]}' is not a number");
                    }
                }

                boxes.Add(detections
                    ? new VocBox(image, parts[0], v[1], v[2], v[3], v[4], v[0])
                    : new VocBox(image, parts[0], v[0], v[1], v[2], v[3]));
            }
        }

        return boxes;
    }
}
