namespace Cairn.Storage.Projects;

/// <summary>Dataset paths: '/'-separated, no leading or trailing '/', no empty, '.' or '..' segments.</summary>
public static class DatasetPaths
{
    /// <summary>The dataset used when a format has no notion of datasets.</summary>
    public const string Default = "ds0";

    /// <summary>Normalises a dataset path, rejecting traversal.</summary>
    public static string Normalize(string path)
    {
        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return Default;
        }

        foreach (var p in parts)
        {
            if (p is "." or "..")
            {
                throw new ArgumentException($"Dataset path '{path}' may not contain '.' or '..' segments.", nameof(path));
            }
        }

        return string.Join('/', parts);
    }

    /// <summary>Whether <paramref name="path"/> as a user typed it can name a dataset: '/'-separated parts, none empty, '.' or '..', no control characters.</summary>
    public static bool IsValid(string path) =>
        path.Length is > 0 and <= 200 && path.Split('/').All(s => s.Length > 0 && s != "." && s != ".." && !s.Contains('\\') && !s.Any(char.IsControl));
}
