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
            else if (_options.ShapesAsBoxes && label.Geometry.Kind is GeometryKind.Polygon or GeometryKind.Mask)
            {
                box = label.Geometry.Bounds();
                _report.Warn($"{KindNames.Of(label.Geometry.Kind)} labels written as their bounding boxes");
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

            w.WriteStartElement("bndbox");
            w.WriteElementString("xmin", Num(box.Left + 1));
            w.WriteElementString("ymin", Num(box.Top + 1));
            w.WriteElementString("xmax", Num(box.Right));
            w.WriteElementString("ymax", Num(box.Bottom));
            w.WriteEndElement();
            w.WriteEndElement();
            _report.Labels++;
        }

        w.WriteEndElement();
        _report.Items++;
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
