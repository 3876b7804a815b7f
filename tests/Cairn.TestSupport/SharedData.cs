namespace Cairn.TestSupport;

/// <summary>Locates the reference data in <c>../shared/data</c> relative to the repository root.</summary>
public static class SharedData
{
    /// <summary>The repository root: the first ancestor of the test binary holding <c>Cairn.slnx</c>.</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cairn.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName
                ?? throw new InvalidOperationException($"Cairn.slnx not found above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>Absolute path of a file or folder under <c>../shared/data</c>; fails loudly when missing.</summary>
    public static string Resolve(string relative)
    {
        var root = Environment.GetEnvironmentVariable("CAIRN_SHARED_DATA")
            ?? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
        var full = Path.Combine(root, relative);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw new FileNotFoundException(
                $"Reference data '{relative}' not found: looked at {full}. Set CAIRN_SHARED_DATA or check out ../shared next to the repository.");
        }

        return full;
    }
}
