using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cairn.Storage.Versions;

/// <summary>A reference written as <c>project@N</c> (a version) or <c>project</c> (the working state).</summary>
public sealed record VersionSpec(string Project, int? Number)
{
    /// <summary>Parses <c>project@N</c> or <c>project</c>; false with a message when N is not a positive number.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out VersionSpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = null;
        error = null;
        var at = text.LastIndexOf('@');
        if (at < 0)
        {
            if (text.Length == 0)
            {
                error = "Expected <project> or <project>@<version number>, got an empty string.";
                return false;
            }

            spec = new VersionSpec(text, null);
            return true;
        }

        var project = text[..at];
        var number = text[(at + 1)..];
        if (project.Length == 0 || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            error = $"'{text}': expected <project>@<version number>, with a version number of 1 or more.";
            return false;
        }

        spec = new VersionSpec(project, n);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Number is { } n ? $"{Project}@{n}" : Project;
}
