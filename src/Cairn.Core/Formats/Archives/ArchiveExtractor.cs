using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Cairn.Core.Formats.Archives;

/// <summary>
/// Extracts zip and tar(.gz) archives without trusting them: entries may not escape the target folder (no "..",
/// no absolute paths, no links pointing outside), the expanded size is counted as bytes are written (a header's
/// claim is never believed), and the number of entries is bounded. Links inside the archive become copies of
/// their targets, so the extracted tree holds no links at all.
/// </summary>
public static class ArchiveExtractor
{
    private const int LinkTargetMaxBytes = 4096;

    /// <summary>Recognises an archive from its first bytes (the extension only decides for old tar files without a magic).</summary>
    public static ArchiveKind Detect(string path)
    {
        Span<byte> head = stackalloc byte[512];
        int n;
        using (var fs = File.OpenRead(path))
        {
            n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        head = head[..n];
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
        {
            return ArchiveKind.Zip;
        }

        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return ArchiveKind.TarGz;
        }

        if (n >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8))
        {
            return ArchiveKind.Tar;
        }

        return path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase) ? ArchiveKind.Tar : ArchiveKind.None;
    }

    /// <summary>Extracts <paramref name="archive"/> into the existing empty folder <paramref name="target"/>; throws <see cref="DatasetFormatException"/> on hostile or malformed archives.</summary>
    public static void Extract(string archive, ArchiveKind kind, string target, ImportLimits limits, CancellationToken ct)
    {
        var session = new Session(Path.GetFileName(archive), Path.GetFullPath(target), limits, new FileInfo(archive).Length);
        try
        {
            switch (kind)
            {
                case ArchiveKind.Zip:
                    ExtractZip(archive, session, ct);
                    break;
                case ArchiveKind.Tar:
                    using (var fs = File.OpenRead(archive))
                    {
                        ExtractTar(fs, session, ct);
                    }

                    break;
                case ArchiveKind.TarGz:
                    using (var fs = File.OpenRead(archive))
                    using (var gz = new GZipStream(fs, CompressionMode.Decompress))
                    {
                        ExtractTar(gz, session, ct);
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an archive kind");
            }

            session.ResolveLinks(ct);
        }
        catch (InvalidDataException ex)
        {
            throw new DatasetFormatException(session.ArchiveName, null, $"corrupt archive: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new DatasetFormatException(session.ArchiveName, null, $"corrupt archive: {ex.Message}", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new DatasetFormatException(session.ArchiveName, null, "archive ends in the middle of an entry (truncated file?)", ex);
        }
    }

    private static void ExtractZip(string archive, Session session, CancellationToken ct)
    {
        using var zip = ZipFile.OpenRead(archive);
        if (zip.Entries.Count > session.Limits.MaxEntries)
        {
            throw session.Error(null, $"archive has {zip.Entries.Count} entries, more than the limit of {session.Limits.MaxEntries}");
        }

        foreach (var entry in zip.Entries)
        {
            ct.ThrowIfCancellationRequested();
            session.CountEntry(entry.FullName);
            if (IsMacMetadata(entry.FullName))
            {
                continue;
            }

            var unixType = (entry.ExternalAttributes >> 16) & 0xF000;
            if (unixType == 0xA000)
            {
                using var s = entry.Open();
                session.AddSymlink(entry.FullName, ReadLinkTarget(s));
                continue;
            }

            if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
            {
                session.MakeDirectory(entry.FullName);
                continue;
            }

            using var data = entry.Open();
            session.WriteFile(entry.FullName, data, ct);
        }
    }

    private static void ExtractTar(Stream stream, Session session, CancellationToken ct)
    {
        using var reader = new TarReader(stream, leaveOpen: true);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            ct.ThrowIfCancellationRequested();
            session.CountEntry(entry.Name);
            if (IsMacMetadata(entry.Name))
            {
                continue;
            }

            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    if (entry.DataStream is null)
                    {
                        session.WriteFile(entry.Name, Stream.Null, ct);
                    }
                    else
                    {
                        session.WriteFile(entry.Name, entry.DataStream, ct);
                    }

                    break;
                case TarEntryType.Directory:
                    session.MakeDirectory(entry.Name);
                    break;
                case TarEntryType.SymbolicLink:
                    session.AddSymlink(entry.Name, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    session.AddHardLink(entry.Name, entry.LinkName);
                    break;
                case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes:
                    break;
                default:
                    throw session.Error(entry.Name, $"unsupported entry type {entry.EntryType} (expected files, folders or links)");
            }
        }
    }

    // macOS archivers add "__MACOSX/" trees and "._name" AppleDouble files: metadata, never dataset content.
    private static bool IsMacMetadata(string name)
    {
        var n = name.Replace('\\', '/');
        var last = n.TrimEnd('/');
        last = last[(last.LastIndexOf('/') + 1)..];
        return n.StartsWith("__MACOSX/", StringComparison.Ordinal) || n.Contains("/__MACOSX/", StringComparison.Ordinal)
            || last.StartsWith("._", StringComparison.Ordinal) || last == ".DS_Store";
    }

    private static string ReadLinkTarget(Stream s)
    {
        var buffer = new byte[LinkTargetMaxBytes];
        var n = s.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    private sealed class Session(string archiveName, string root, ImportLimits limits, long archiveBytes)
    {
        private readonly List<(string Entry, string Path, string Target)> _links = [];
        private readonly byte[] _buffer = new byte[81920];
        private long _written;
        private int _entries;

        public string ArchiveName { get; } = archiveName;

        public ImportLimits Limits { get; } = limits;

        public DatasetFormatException Error(string? entry, string message) =>
            new(ArchiveName, entry is null ? null : $"entry '{entry}'", message);

        public void CountEntry(string name)
        {
            if (++_entries > Limits.MaxEntries)
            {
                throw Error(name, $"archive has more entries than the limit of {Limits.MaxEntries}");
            }
        }

        public void MakeDirectory(string entryName)
        {
            var rel = SafeRelative(entryName, entryName);
            if (rel.Length > 0)
            {
                Directory.CreateDirectory(Full(entryName, rel));
            }
        }

        public void WriteFile(string entryName, Stream data, CancellationToken ct)
        {
            var rel = SafeRelative(entryName, entryName);
            if (rel.Length == 0)
            {
                throw Error(entryName, "file entry without a name");
            }

            var path = Full(entryName, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.SequentialScan);
            Copy(entryName, data, output, ct);
        }

        public void AddSymlink(string entryName, string target)
        {
            var rel = SafeRelative(entryName, entryName);
            var t = target.Replace('\\', '/');
            if (t.StartsWith('/') || (t.Length >= 2 && t[1] == ':'))
            {
                throw Error(entryName, $"symbolic link to the absolute path '{target}' points outside the archive");
            }

            var dir = rel.Contains('/') ? rel[..rel.LastIndexOf('/')] : string.Empty;
            var joined = dir.Length == 0 ? t : dir + "/" + t;
            var resolved = Normalize(joined) ?? throw Error(entryName, $"symbolic link to '{target}' points outside the archive");
            _links.Add((entryName, rel, resolved));
        }

        public void AddHardLink(string entryName, string target)
        {
            var rel = SafeRelative(entryName, entryName);
            var t = target.Replace('\\', '/');
            if (t.StartsWith('/') || (t.Length >= 2 && t[1] == ':'))
            {
                throw Error(entryName, $"hard link to the absolute path '{target}' points outside the archive");
            }

            var resolved = Normalize(t) ?? throw Error(entryName, $"hard link to '{target}' points outside the archive");
            _links.Add((entryName, rel, resolved));
        }

        // Links become copies of what they point to, so the extracted tree holds no links that a later reader could follow outside.
        public void ResolveLinks(CancellationToken ct)
        {
            foreach (var (entry, rel, target) in _links)
            {
                var source = Full(entry, target);
                var path = Full(entry, rel);
                if (File.Exists(source))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    using var input = File.OpenRead(source);
                    using var output = new FileStream(path, FileMode.Create, FileAccess.Write);
                    Copy(entry, input, output, ct);
                }
            }
        }

        private void Copy(string entryName, Stream input, Stream output, CancellationToken ct)
        {
            int n;
            while ((n = input.Read(_buffer, 0, _buffer.Length)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                _written += n;
                if (_written > Limits.MaxArchiveBytes)
                {
                    throw Error(entryName, $"archive expands past the limit of {Limits.MaxArchiveBytes} bytes (counted while extracting)");
                }

                // A decompression bomb is small and expands enormously: past the free allowance, the expanded bytes may be
                // at most MaxCompressionRatio times the archive's own size.
                if (_written > Limits.RatioFreeBytes && _written > Limits.MaxCompressionRatio * Math.Max(1, archiveBytes))
                {
                    throw Error(entryName, $"archive of {archiveBytes} bytes expands to more than {Limits.MaxCompressionRatio} times its size (over {_written} bytes so far): a decompression bomb?");
                }

                output.Write(_buffer, 0, n);
            }
        }

        private string Full(string entryName, string rel)
        {
            var full = Path.GetFullPath(Path.Combine(root, rel));
            if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && full != root)
            {
                throw Error(entryName, "entry path escapes the archive root");
            }

            return full;
        }

        private string SafeRelative(string entryName, string name)
        {
            if (name.Contains('\0'))
            {
                throw Error(entryName, "entry name contains a NUL character");
            }

            var n = name.Replace('\\', '/');
            if (n.StartsWith('/') || (n.Length >= 2 && n[1] == ':'))
            {
                throw Error(entryName, "absolute entry path (expected a path relative to the archive root)");
            }

            return Normalize(n) ?? throw Error(entryName, "entry path escapes the archive root with '..'");
        }

        // Joins the segments of a relative '/' path, applying ".." lexically; null when a ".." climbs above the root.
        private static string? Normalize(string path)
        {
            var parts = new List<string>();
            foreach (var seg in path.Split('/'))
            {
                if (seg.Length == 0 || seg == ".")
                {
                    continue;
                }

                if (seg == "..")
                {
                    if (parts.Count == 0)
                    {
                        return null;
                    }

                    parts.RemoveAt(parts.Count - 1);
                    continue;
                }

                parts.Add(seg);
            }

            return string.Join('/', parts);
        }
    }
}
