using System.Text.Json;

namespace Cairn.Core.Formats.Internal;

/// <summary>Reads JSON files of untrusted input, turning parser errors into <see cref="DatasetFormatException"/> with path, line and byte.</summary>
internal static class JsonInput
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 };

    public static void CheckSize(string full, string relative, ImportLimits limits)
    {
        var length = new FileInfo(full).Length;
        if (length > limits.MaxJsonBytes)
        {
            throw new DatasetFormatException(relative, null, $"JSON file is {length} bytes, more than the limit of {limits.MaxJsonBytes}");
        }
    }

    /// <summary>Parses a whole (small) JSON file into a document.</summary>
    public static JsonDocument Parse(string full, string relative, ImportLimits limits)
    {
        CheckSize(full, relative, limits);
        try
        {
            using var fs = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 65536);
            return JsonDocument.Parse(fs, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw Wrap(ex, relative);
        }
    }

    /// <summary>Maps a parser or binder error to the file, JSON path, line and byte.</summary>
    public static DatasetFormatException Wrap(JsonException ex, string relative)
    {
        var where = new List<string>();
        if (!string.IsNullOrEmpty(ex.Path))
        {
            where.Add(ex.Path);
        }

        if (ex.LineNumber is { } line)
        {
            where.Add($"line {line + 1}");
        }

        if (ex.BytePositionInLine is { } b)
        {
            where.Add($"byte {b + 1}");
        }

        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        if (cut > 0)
        {
            message = message[..cut];
        }

        return new DatasetFormatException(relative, where.Count > 0 ? string.Join(", ", where) : null, $"malformed JSON or a value of the wrong type: {message}", ex);
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
