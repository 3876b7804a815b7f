using Cairn.Core.Formats.Internal;
using Cairn.Core.Model;

namespace Cairn.Core.Formats;

/// <summary>
/// The <c>images</c> import source: a folder (or archive) of images without annotations, as a browser drops them. Each
/// sub-folder is a dataset (<c>train/city/a.jpg</c> → <c>train/city</c>), images at the top go to <c>ds0</c>; sizes come
/// from the image headers. Import only: there is nothing to write that a plain copy would not.
/// </summary>
public static class ImageFolder
{
    /// <summary>The source's name, next to <see cref="DatasetFormats.Names"/>.</summary>
    public const string Name = "images";

    /// <summary>Every name an import accepts: the dataset formats and <see cref="Name"/>.</summary>
    public static IReadOnlyList<string> ImportNames { get; } = [.. DatasetFormats.Names, Name];

    /// <summary>Reads <paramref name="root"/> as <paramref name="format"/>: a dataset format, or a plain image folder.</summary>
    public static ImportedProject ReadAny(string format, string root, ImportOptions options, CancellationToken ct) =>
        string.Equals(format, Name, StringComparison.OrdinalIgnoreCase) ? Read(root, options, ct) : DatasetFormats.Get(format).Read(root, options, ct);

    /// <summary>Reads every image file under <paramref name="root"/>; a file that is not an image is refused by name.</summary>
    public static ImportedProject Read(string root, ImportOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tree = SafeTree.Open(root, ct);
        var items = new List<ImportedItem>();
        var warnings = new List<string>();
        foreach (var full in Directory.EnumerateFiles(tree.Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden }).Order(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var rel = tree.Relative(full);
            if (!ImageProbe.IsImageName(rel))
            {
                warnings.Add($"{rel}: not an image (expected one of: {ImageProbe.Accepted}), skipped");
                continue;
            }

            tree.CheckFile(full);
            var (w, h) = ImageProbe.ReadSize(full, rel, options.Limits);
            var slash = rel.LastIndexOf('/');
            var dataset = slash < 0 ? DatasetNames.Default : rel[..slash];
            items.Add(new ImportedItem(dataset, rel[(slash + 1)..], full, new Annotation(w, h, [], [])));
        }

        if (items.Count == 0)
        {
            throw new DatasetFormatException(".", null, $"no image files found (expected files ending in one of: {ImageProbe.Accepted})");
        }

        return new ImportedProject(ProjectMeta.Empty, items, warnings);
    }
}
