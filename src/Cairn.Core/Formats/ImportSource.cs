using Cairn.Core.Formats.Archives;

namespace Cairn.Core.Formats;

/// <summary>Turns what the user named (a folder, or a .zip/.tar/.tar.gz/.tgz archive) into a folder a reader can read.</summary>
public static class ImportSource
{
    private static readonly HashSet<string> LayoutFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "images", "labels", "annotations", "img", "ann", "JPEGImages", "Annotations", "ImageSets",
    };

    /// <summary>
    /// Opens <paramref name="path"/>: a folder is used as is; an archive (recognised by its first bytes) is extracted
    /// safely into a new folder under <paramref name="tempParent"/> (default: the system temp folder), deleted when the
    /// result is disposed. An archive holding a single top folder is read from inside that folder.
    /// </summary>
    public static ImportFolder Open(string path, ImportLimits limits, string? tempParent = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(limits);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return new ImportFolder(full, owned: null);
        }

        if (!File.Exists(full))
        {
            throw new DatasetFormatException(Path.GetFileName(full), null, $"no such folder or archive: {full}");
        }

        var kind = ArchiveExtractor.Detect(full);
        if (kind == ArchiveKind.None)
        {
            throw new DatasetFormatException(Path.GetFileName(full), null, "not a folder and not an archive (expected a folder, or a .zip, .tar, .tar.gz or .tgz file)");
        }

        var parent = Path.GetFullPath(tempParent ?? Path.GetTempPath());
        Directory.CreateDirectory(parent);
        var target = Path.Combine(parent, "cairn-import-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        try
        {
            ArchiveExtractor.Extract(full, kind, target, limits, ct);
            return new ImportFolder(SingleTopFolder(target), owned: target);
        }
        catch
        {
            Directory.Delete(target, recursive: true);
            throw;
        }
    }

    // Archives often wrap the dataset in one top folder ("project/meta.json", "project/ds1/..."): read from inside it.
    private static string SingleTopFolder(string root)
    {
        var entries = Directory.GetFileSystemEntries(root);
        return entries.Length == 1 && Directory.Exists(entries[0]) && !LayoutFolders.Contains(Path.GetFileName(entries[0]))
            ? entries[0]
            : root;
    }
}
