namespace Cairn.Core.Formats.Internal;

/// <summary>Dataset paths ("train/city") and item names as the formats use them, checked before they touch the file system.</summary>
internal static class DatasetNames
{
    public const string Default = "ds0";

    /// <summary>Joins path parts into a dataset path; empty parts are skipped, an empty result becomes <see cref="Default"/>.</summary>
    public static string Join(params string?[] parts)
    {
        var segs = new List<string>();
        foreach (var part in parts)
        {
            if (string.IsNullOrEmpty(part))
            {
                continue;
            }

            foreach (var seg in part.Replace('\\', '/').Split('/'))
            {
                if (seg.Length > 0 && seg != ".")
                {
                    segs.Add(seg);
                }
            }
        }

        return segs.Count == 0 ? Default : string.Join('/', segs);
    }

    /// <summary>Checks a dataset path and item name from the catalog before a writer uses them as folders and file names.</summary>
    public static void CheckForExport(string dataset, string name)
    {
        foreach (var seg in dataset.Split('/'))
        {
            if (seg.Length == 0 || seg == "." || seg == ".." || seg.Contains('\\') || seg.Contains('\0'))
            {
                throw new ArgumentException($"dataset path '{dataset}' is not a relative folder path", nameof(dataset));
            }
        }

        if (name.Length == 0 || name == "." || name == ".." || name.Contains('/') || name.Contains('\\') || name.Contains('\0'))
        {
            throw new ArgumentException($"item name '{name}' is not a plain file name", nameof(name));
        }
    }

    /// <summary>A dataset path flattened into one file-name-safe word ("train/city" → "train_city").</summary>
    public static string Flat(string dataset) => dataset.Replace('/', '_');
}
