using System.Text.Json;
using Cairn.Core.Model;

namespace Cairn.Storage.Projects;

/// <summary>
/// What the gallery and <c>GET …/items</c> search for: every given condition must hold. Classes and tags are all
/// required (an item with every listed class; every listed tag on the image or on one of its labels); the name is a
/// substring, case-insensitive for ASCII letters; bounds are inclusive.
/// </summary>
public sealed record ItemQuery
{
    /// <summary>Classes that must each have a label on the item.</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];

    /// <summary>Tag names that must each be on the image or on one of its labels.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>A substring of the item name (ASCII letters compared without case).</summary>
    public string? Name { get; init; }

    /// <summary>A working-state dataset id.</summary>
    public long? DatasetId { get; init; }

    /// <summary>A version's dataset path (versions have no dataset ids).</summary>
    public string? DatasetPath { get; init; }

    /// <summary>Fewest labels.</summary>
    public int? MinLabels { get; init; }

    /// <summary>Most labels.</summary>
    public int? MaxLabels { get; init; }

    /// <summary>Smallest image width in pixels.</summary>
    public int? MinWidth { get; init; }

    /// <summary>Largest image width in pixels.</summary>
    public int? MaxWidth { get; init; }

    /// <summary>Smallest image height in pixels.</summary>
    public int? MinHeight { get; init; }

    /// <summary>Largest image height in pixels.</summary>
    public int? MaxHeight { get; init; }

    /// <summary>True when no condition is set.</summary>
    public bool IsEmpty =>
        Classes.Count == 0 && Tags.Count == 0 && string.IsNullOrEmpty(Name) && DatasetId is null && DatasetPath is null &&
        MinLabels is null && MaxLabels is null && MinWidth is null && MaxWidth is null && MinHeight is null && MaxHeight is null;

    /// <summary>
    /// The text a tag leaves in a canonical annotation document: each tag is an array whose first element is its name
    /// (<c>["night"</c> or <c>["weather","rain"]</c>), and no other string in the document follows a <c>[</c>.
    /// </summary>
    public static string TagMarker(string tag) => "[" + JsonSerializer.Serialize(tag);

    /// <summary>The text a class leaves in <c>ItemRow.ClassList</c>.</summary>
    public static string ClassMarker(string cls) => "|" + cls + "|";

    /// <summary>The same test the catalog query makes, over an item read from a version's snapshot.</summary>
    public bool Matches(string datasetPath, string name, int width, int height, int labelCount, Annotation annotation)
    {
        if ((DatasetPath is not null && datasetPath != DatasetPath)
            || (MinLabels is { } a && labelCount < a) || (MaxLabels is { } b && labelCount > b)
            || (MinWidth is { } c && width < c) || (MaxWidth is { } d && width > d)
            || (MinHeight is { } e && height < e) || (MaxHeight is { } f && height > f)
            || (!string.IsNullOrEmpty(Name) && !AsciiLower(name).Contains(AsciiLower(Name), StringComparison.Ordinal)))
        {
            return false;
        }

        foreach (var cls in Classes)
        {
            if (!annotation.Labels.Any(l => l.ClassName == cls))
            {
                return false;
            }
        }

        foreach (var tag in Tags)
        {
            if (!annotation.Tags.Any(t => t.Name == tag) && !annotation.Labels.Any(l => l.Tags.Any(t => t.Name == tag)))
            {
                return false;
            }
        }

        return true;
    }

    // SQLite's lower() and PostgreSQL's under the "C" collation change ASCII letters only: the snapshot side does the same.
    internal static string AsciiLower(string s) => string.Create(s.Length, s, (span, src) =>
    {
        for (var i = 0; i < src.Length; i++)
        {
            var ch = src[i];
            span[i] = ch is >= 'A' and <= 'Z' ? (char)(ch + 32) : ch;
        }
    });
}
