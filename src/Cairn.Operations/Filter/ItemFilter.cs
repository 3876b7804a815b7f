using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Operations.Filter;

/// <summary>
/// Selects items by class presence or absence, object count, tags, name pattern and image size; every given
/// condition must hold. JSON: <c>{"classesPresent": ["car"], "minObjects": 1, "namePattern": "*.jpg", "minWidth": 640}</c>.
/// </summary>
public sealed record ItemFilter
{
    /// <summary>Every one of these classes must have a label on the item.</summary>
    public IReadOnlyList<string> ClassesPresent { get; init; } = [];

    /// <summary>At least one of these classes must have a label (empty: no condition).</summary>
    public IReadOnlyList<string> AnyClassPresent { get; init; } = [];

    /// <summary>None of these classes may have a label.</summary>
    public IReadOnlyList<string> ClassesAbsent { get; init; } = [];

    /// <summary>Fewest labels (counted over <see cref="CountClasses"/> when given).</summary>
    public int? MinObjects { get; init; }

    /// <summary>Most labels (counted over <see cref="CountClasses"/> when given).</summary>
    public int? MaxObjects { get; init; }

    /// <summary>Classes the object count looks at; empty means all.</summary>
    public IReadOnlyList<string> CountClasses { get; init; } = [];

    /// <summary>Image tags that must all be present.</summary>
    public IReadOnlyList<string> TagsPresent { get; init; } = [];

    /// <summary>Image tags that must all be absent.</summary>
    public IReadOnlyList<string> TagsAbsent { get; init; } = [];

    /// <summary>Glob on the item name: <c>*</c> any run, <c>?</c> one character, <c>[abc]</c> a set; case-sensitive.</summary>
    public string? NamePattern { get; init; }

    /// <summary>Datasets to keep (exact paths, or a prefix ending in <c>/</c>); empty means all.</summary>
    public IReadOnlyList<string> Datasets { get; init; } = [];

    /// <summary>Smallest image width.</summary>
    public int? MinWidth { get; init; }

    /// <summary>Largest image width.</summary>
    public int? MaxWidth { get; init; }

    /// <summary>Smallest image height.</summary>
    public int? MinHeight { get; init; }

    /// <summary>Largest image height.</summary>
    public int? MaxHeight { get; init; }

    /// <summary>True when every condition holds for <paramref name="item"/>.</summary>
    public bool Matches(ItemRecord item) => Matches(item, NamePattern is null ? null : GlobToRegex(NamePattern));

    /// <summary>The items that match, in order.</summary>
    public IEnumerable<ItemRecord> Apply(IEnumerable<ItemRecord> items)
    {
        var regex = NamePattern is null ? null : GlobToRegex(NamePattern);
        return items.Where(i => Matches(i, regex));
    }

    private bool Matches(ItemRecord item, Regex? regex)
    {
        var labels = item.Annotation.Labels;
        var tags = item.Annotation.Tags;
        if (ClassesPresent.Any(c => !labels.Any(l => l.ClassName == c))
            || (AnyClassPresent.Count > 0 && !labels.Any(l => AnyClassPresent.Contains(l.ClassName)))
            || labels.Any(l => ClassesAbsent.Contains(l.ClassName))
            || TagsPresent.Any(t => !tags.Any(x => x.Name == t))
            || tags.Any(t => TagsAbsent.Contains(t.Name)))
        {
            return false;
        }

        if (MinObjects is not null || MaxObjects is not null)
        {
            var n = CountClasses.Count == 0 ? labels.Count : labels.Count(l => CountClasses.Contains(l.ClassName));
            if (n < MinObjects || n > MaxObjects)
            {
                return false;
            }
        }

        if (item.Width < MinWidth || item.Width > MaxWidth || item.Height < MinHeight || item.Height > MaxHeight)
        {
            return false;
        }

        if (Datasets.Count > 0 && !Datasets.Any(d => d.EndsWith('/') ? item.Dataset.StartsWith(d, StringComparison.Ordinal) || item.Dataset == d[..^1] : item.Dataset == d))
        {
            return false;
        }

        return regex is null || regex.IsMatch(item.Name);
    }

    /// <summary>Translates a glob to an anchored regular expression.</summary>
    public static Regex GlobToRegex(string glob)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '[':
                    var end = glob.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException($"name pattern '{glob}': '[' at {i} has no closing ']'");
                    }

                    var set = glob[(i + 1)..end];
                    sb.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = end;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }

        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
