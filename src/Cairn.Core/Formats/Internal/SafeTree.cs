namespace Cairn.Core.Formats.Internal;

/// <summary>
/// The import root, checked once: every symbolic link under it must resolve inside it. After the check, a relative
/// path without ".." that exists under the root is safe to read.
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

    private void CheckLinks(string dir, CancellationToken ct)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos("*", options))
        {
            ct.ThrowIfCancellationRequested();
            if (entry.LinkTarget is not null)
            {
                var target = entry.ResolveLinkTarget(returnFinalTarget: true);
                var resolved = target?.FullName ?? Path.GetFullPath(entry.LinkTarget, Path.GetDirectoryName(entry.FullName)!);
                if (!Contains(resolved))
                {
                    throw new DatasetFormatException(Relative(entry.FullName), null, $"symbolic link points outside the import folder (to {entry.LinkTarget})");
                }

                // A link to a folder inside the root is not followed here: what it reaches is checked through its real path.
                continue;
            }

            if (entry is DirectoryInfo sub)
            {
                CheckLinks(sub.FullName, ct);
            }
        }
    }
}
