namespace Cairn.Core.Formats;

/// <summary>
/// Malformed or hostile dataset input. <see cref="File"/> is relative to the import root;
/// <see cref="Location"/> is a line ("line 12") or JSON path ("$.annotations[3].bbox").
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Creates the error.</summary>
    public DatasetFormatException(string file, string? location, string message, Exception? inner = null)
        : base(Compose(file, location, message), inner)
    {
        File = file;
        Location = location;
        Problem = message;
    }

    /// <summary>The file, relative to the import root.</summary>
    public string File { get; }

    /// <summary>Line or JSON path inside the file, when known.</summary>
    public string? Location { get; }

    /// <summary>What was wrong and what was expected.</summary>
    public string Problem { get; }

    private static string Compose(string file, string? location, string message) =>
        location is null ? $"{file}: {message}" : $"{file}, {location}: {message}";
}
