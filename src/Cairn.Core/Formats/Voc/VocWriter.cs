using System.Globalization;
using System.Text;
using System.Xml;
using Cairn.Core.Formats.Internal;
using Cairn.Core.Model;

namespace Cairn.Core.Formats.Voc;

/// <summary>
/// Writes Pascal VOC: one XML per image in Annotations/, images in JPEGImages/, and ImageSets/Main/&lt;dataset&gt;.txt per dataset.
/// VOC keeps every image in one folder, so a name already taken by another dataset is prefixed with that dataset.
/// </summary>
internal sealed class VocWriter
{
    private static readonly XmlWriterSettings Settings = new() { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true };

    private readonly string _outDir;
    private readonly ExportOptions _options;
    private readonly ReportBuilder _report = new();
    private readonly HashSet<string> _stems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _sets = new(StringComparer.Ordinal);

    private VocWriter(string outDir, ExportOptions options)
    {
        _outDir = outDir;
        _options = options;
    }

    public static ExportReport Write(IEnumerable<ExportItem> items, string outDir, ExportOptions options, CancellationToken ct)
    {
        var writer = new VocWriter(Path.GetFullPath(outDir), options);
        Directory.CreateDirectory(Path.Combine(writer._outDir, "Annotations"));
        Directory.CreateDirectory(Path.Combine(writer._outDir, "JPEGImages"));
        foreach (var item in items)
        {
            ct.ThrowIfCancellationRequested();
            writer.Add(item);
        }

        var main = Path.Combine(writer._outDir, "ImageSets", "Main");
        foreach (var (set, stems) in writer._sets)
        {
            var path = Path.Combine(main, set + ".txt");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, string.Concat(stems.Select(s => s + "\n")));
        }

        return writer._report.Build();
    }

    private void Add(ExportItem item)
    {
        DatasetNames.CheckForExport(item.Dataset, item.Name);
        var name = item.Name;
        var stem = Path.GetFileNameWithoutExtension(name);
        if (!_stems.Add(stem))
        {
            name = DatasetNames.Flat(item.Dataset) + "_" + name;
            stem = Path.GetFileNameWithoutExtension(name);
            for (var i = 2; !_stems.Add(stem); i++)
            {
                stem = Path.GetFileNameWithoutExtension(name) + "_" + i.ToString(CultureInfo.InvariantCulture);
            }

            name = stem + Path.GetExtension(item.Name);
            _report.Warn("images renamed with their dataset as prefix: VOC keeps all images in one folder");
        }

        if (!_sets.TryGetValue(item.Dataset, out var set))
        {
            set = [];
            _sets.Add(item.Dataset, set);
        }

        set.Add(stem);
        ImageOutput.Write(item, Path.Combine(_outDir, "JPEGImages", name), _options);
        var a = item.Annotation;
        if (a.Tags.Count > 0)
        {
            _report.Warn("image tags not written: VOC has no image tags");
        }

        using var w = XmlWriter.Create(Path.Combine(_outDir, "Annotations", stem + ".xml"), Settings);
        w.WriteStartElement("annotation");
        w.WriteElementString("folder", "JPEGImages");
        w.WriteElementString("filename", name);
        w.WriteStartElement("size");
        w.WriteElementString("width", a.Width.ToString(CultureInfo.InvariantCulture));
        w.WriteElementString("height", a.Height.ToString(CultureInfo.InvariantCulture));
        w.WriteElementString("depth", "3");
        w.WriteEndElement();
        w.WriteElementString("segmented", "0");
        foreach (var label in a.Labels)
        {
            BoxD box;
            if (label.Geometry is RectangleGeometry r)
            {
                box = r.Box;
            }
            else if (label.Geometry.Kind is GeometryKind.Polygon or GeometryKind.Mask)
            {
                // VOC holds only boxes: a shape's box is all it can keep, so it is written whatever ShapesAsBoxes says.
                box = label.Geometry.Bounds();
                _report.Tally($"{KindNames.Of(label.Geometry.Kind)} labels written as their bounding boxes (VOC holds only boxes)");
            }
            else
            {
                _report.Unsupported(KindNames.Of(label.Geometry.Kind));
                continue;
            }

            bool difficult = false, truncated = false, occluded = false;
            string pose = "Unspecified";
            foreach (var t in label.Tags)
            {
                switch (t.Name)
                {
                    case VocTags.Difficult:
                        difficult = true;
                        break;
                    case VocTags.Truncated:
                        truncated = true;
                        break;
                    case VocTags.Occluded:
                        occluded = true;
                        break;
                    case VocTags.Pose when t.Value is not null:
                        pose = t.Value;
                        break;
                    default:
                        _report.Warn("label tags other than difficult, truncated, occluded and pose not written");
                        break;
                }
            }

            w.WriteStartElement("object");
            w.WriteElementString("name", label.ClassName);
            w.WriteElementString("pose", pose);
            w.WriteElementString("truncated", truncated ? "1" : "0");
            w.WriteElementString("difficult", difficult ? "1" : "0");
            if (occluded)
            {
                w.WriteElementString("occluded", "1");
            }

            var (xmin, ymin, xmax, ymax) = PixelBox(box, a.Width, a.Height);
            w.WriteStartElement("bndbox");
            w.WriteElementString("xmin", Num(xmin));
            w.WriteElementString("ymin", Num(ymin));
            w.WriteElementString("xmax", Num(xmax));
            w.WriteElementString("ymax", Num(ymax));
            w.WriteEndElement();
            w.WriteEndElement();
            _report.Labels++;
        }

        w.WriteEndElement();
        _report.Items++;
    }

    /// <summary>
    /// The 1-based, inclusive pixel indices of every pixel the box touches, inside the image: VOC tools parse integers.
    /// The reader maps them back to (xmin − 1, ymin − 1)–(xmax, ymax), which this maps to itself, so a round trip is stable.
    /// </summary>
    private (int XMin, int YMin, int XMax, int YMax) PixelBox(BoxD box, int width, int height)
    {
        var (x0, y0, x1, y1) = ((int)Math.Floor(box.Left), (int)Math.Floor(box.Top), (int)Math.Ceiling(box.Right), (int)Math.Ceiling(box.Bottom));
        if (width > 0 && height > 0 && (x0 < 0 || y0 < 0 || x1 > width || y1 > height))
        {
            (x0, y0, x1, y1) = (Math.Clamp(x0, 0, width - 1), Math.Clamp(y0, 0, height - 1), Math.Clamp(x1, 1, width), Math.Clamp(y1, 1, height));
            _report.Warn("boxes clipped to the image");
        }

        // A box of zero width or height still covers the pixel it lies on.
        return (x0 + 1, y0 + 1, Math.Max(x1, x0 + 1), Math.Max(y1, y0 + 1));
    }

    private static string Num(int v) => v.ToString(CultureInfo.InvariantCulture);
}
