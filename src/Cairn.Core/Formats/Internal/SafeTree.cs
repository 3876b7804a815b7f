using System.IO.Enumeration;

namespace Cairn.Core.Formats.Internal;

/// <summary>
/// The import root: every symbolic link under it must resolve inside it (folders are checked when opened, files by
/// <see cref="IsFile"/> and <see cref="CheckFile"/> where readers use them); paths from input files may not climb out.
/// </summary>
internal sealed class SafeTree
{
    private readonly string _prefix;

    private SafeTree(string root)
    {
        Root = root;
        _prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
    }

    public string Root { get; }

    /// <summary>Checks the tree under <paramref name="root"/>; throws when a link resolves outside it.</summary>
    public static SafeTree Open(string root, CancellationToken ct)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new DatasetFormatException(".", null, $"import root {full} is not a folder");
        }

        // The root itself may be a link (a user's choice); what lies under it must stay under its real location.
        var real = new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        var tree = new SafeTree(Path.TrimEndingDirectorySeparator(real));
        tree.CheckLinks(tree.Root, ct);
        return tree;
    }

    /// <summary>The path of <paramref name="relative"/> ('/'-separated) relative to the root, for messages.</summary>
    public string Relative(string full) => Path.GetRelativePath(Root, full).Replace('\\', '/');

    /// <summary>Joins a relative path from the input to the root; throws when it is absolute or climbs out with "..".</summary>
    public string Join(string relative, string file, string? location)
    {
        var r = relative.Replace('\\', '/');

        // The common case, a plain relative name, needs no normalisation.
        if (r.Length > 0 && r[0] != '/' && !r.Contains("..", StringComparison.Ordinal) && !r.Contains(':') && !r.Contains('\0') && !r.Contains("./", StringComparison.Ordinal))
        {
            return Path.Join(_prefix, r);
        }

        if (r.StartsWith('/') || (r.Length >= 2 && r[1] == ':') || r.Contains('\0'))
        {
            throw new DatasetFormatException(file, location, $"absolute path '{relative}' (expected a path relative to the dataset folder)");
        }

        foreach (var seg in r.Split('/'))
        {
            if (seg == "..")
            {
                throw new DatasetFormatException(file, location, $"path '{relative}' escapes the import folder with '..'");
            }
        }

        var full = Path.GetFullPath(Path.Combine(Root, r));
        if (!full.StartsWith(_prefix, StringComparison.Ordinal))
        {
            throw new DatasetFormatException(file, location, $"path '{relative}' escapes the import folder");
        }

        return full;
    }

    /// <summary>True when <paramref name="full"/> lies inside the root.</summary>
    public bool Contains(string full) => full.StartsWith(_prefix, StringComparison.Ordinal);

    /// <summary>
    /// True when <paramref name="full"/> is a file (following links); throws when it is a link resolving outside the root.
    /// One lstat for a plain file: this replaces <see cref="File.Exists(string)"/> in readers.
    /// </summary>
    public bool IsFile(string full)
    {
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            return false;
        }

        if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            CheckLink(info);
        }

        return true;
    }

    /// <summary>Throws when a file found by listing a folder is a link resolving outside the root.</summary>
    public void CheckFile(string full) => IsFile(full);

    // Folders are checked up front (a linked folder would carry everything below it out of the root); files are
    // checked where a reader uses them, so a folder of 5,000 images costs no extra call per file here.
    private void CheckLinks(string dir, CancellationToken ct)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        var subdirs = new FileSystemEnumerable<string>(dir, (ref FileSystemEntry e) => e.ToFullPath(), options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => e.IsDirectory,
        };
        foreach (var path in subdirs)
        {
            ct.ThrowIfCancellationRequested();
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is not null)
            {
                CheckLink(info);
                continue;
            }

            CheckLinks(path, ct);
        }
    }

    private void CheckLink(FileSystemInfo entry)
    {
        var target = entry.ResolveLinkTarget(returnFinalTarget: true);
        var resolved = target?.FullName ?? Path.GetFullPath(entry.LinkTarget!, Path.GetDirectoryName(entry.FullName)!);
        if (!Contains(resolved))
        {
            throw new DatasetFormatException(Relative(entry.FullName), null, $"symbolic link points outside the import folder (to {entry.LinkTarget})");
        }
    }
}
