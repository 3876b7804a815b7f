using Cairn.Core.Formats;
using Cairn.Core.Model;

namespace Cairn.Core.Tests.Formats;

/// <summary>Shared steps of format tests: reading, turning an import into export items, comparing projects.</summary>
public static class FormatTestKit
{
    public static ImportedProject Read(string format, string root, string? annotations = null, ImportLimits? limits = null) =>
        DatasetFormats.Get(format).Read(root, new ImportOptions(limits ?? ImportLimits.Default, annotations), CancellationToken.None);

    public static IEnumerable<ExportItem> ToExport(ImportedProject project) =>
        project.Items.Select(i => new ExportItem(i.Dataset, i.Name, () => File.OpenRead(i.ImagePath), i.Annotation));

    public static ExportReport Write(string format, ProjectMeta meta, IEnumerable<ExportItem> items, string outDir, ExportOptions? options = null) =>
        DatasetFormats.Get(format).Write(meta, items, outDir, options ?? ExportOptions.Default, CancellationToken.None);

    /// <summary>Items keyed by "dataset/name".</summary>
    public static Dictionary<string, ImportedItem> ByKey(ImportedProject project) =>
        project.Items.ToDictionary(i => i.Dataset + "/" + i.Name, StringComparer.Ordinal);

    /// <summary>Asserts both projects hold the same items with equal annotations (exact equality of every number).</summary>
    public static void AssertSameItems(ImportedProject expected, ImportedProject actual)
    {
        var a = ByKey(expected);
        var b = ByKey(actual);
        Assert.Equal(a.Keys.Order(StringComparer.Ordinal), b.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, item) in a)
        {
            var other = b[key].Annotation;
            Assert.Equal(item.Annotation.Width, other.Width);
            Assert.Equal(item.Annotation.Height, other.Height);
            Assert.Equal(item.Annotation.Tags, other.Tags);
            Assert.Equal(item.Annotation.Labels.Count, other.Labels.Count);
            for (var i = 0; i < item.Annotation.Labels.Count; i++)
            {
                Assert.True(item.Annotation.Labels[i].Equals(other.Labels[i]), $"{key}: label {i} differs: {Describe(item.Annotation.Labels[i])} vs {Describe(other.Labels[i])}");
            }
        }
    }

    public static string Describe(Label l) => $"{l.ClassName} {l.Geometry.Kind} [{string.Join(",", l.Tags)}] bounds {l.Geometry.Bounds()}";
}
