namespace Cairn.TestSupport;

/// <summary>
/// A fresh folder under the system temp folder, named for what made it, deleted with everything in it on dispose:
/// tests leave nothing behind in /tmp.
/// </summary>
public sealed class TempDir : IDisposable
{
    /// <summary>Creates the folder: <paramref name="prefix"/> and a random suffix.</summary>
    public TempDir(string prefix = "cairn-test-")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes a text file, creating its folders.</summary>
    public string Write(string relative, string text)
    {
        var full = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>Writes a binary file, creating its folders.</summary>
    public string Write(string relative, byte[] bytes)
    {
        var full = this[relative];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    /// <summary>Deletes the folder and its content.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
