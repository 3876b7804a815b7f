namespace Cairn.Core.Formats;

/// <summary>A folder to read an import from: the user's folder itself, or a folder inside a temporary extraction of an archive (deleted on dispose).</summary>
public sealed class ImportFolder : IDisposable
{
    private readonly string? _owned;

    internal ImportFolder(string root, string? owned)
    {
        Root = root;
        _owned = owned;
    }

    /// <summary>Absolute path of the folder to read.</summary>
    public string Root { get; }

    /// <summary>True when the folder was extracted from an archive and is deleted on dispose.</summary>
    public bool IsExtracted => _owned is not null;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_owned is not null && Directory.Exists(_owned))
        {
            try
            {
                Directory.Delete(_owned, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is not worth failing the import over.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
