using System.Globalization;
using System.Text;
using Cairn.Storage.Projects;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Server.Endpoints;

/// <summary>
/// Reads an item search from a query string, for <c>GET …/items</c> and the galleries alike: <c>class</c> and <c>tag</c>
/// (repeatable), <c>name</c>, <c>dataset</c>, <c>minLabels</c>/<c>maxLabels</c>, <c>minWidth</c>/<c>maxWidth</c>,
/// <c>minHeight</c>/<c>maxHeight</c>. An empty value means no condition (an HTML form sends its empty fields); a bad one
/// is refused with the parameter's name and what was expected.
/// </summary>
public static class ItemQueryReader
{
    /// <summary>The filter parameters, in the order the gallery form shows them.</summary>
    public static readonly IReadOnlyList<string> Parameters = ["class", "tag", "name", "dataset", "minLabels", "maxLabels", "minWidth", "maxWidth", "minHeight", "maxHeight"];

    /// <summary>What went wrong with one parameter.</summary>
    public sealed record Problem(string Field, string Expected)
    {
        /// <summary>One sentence for a page.</summary>
        public string Message => $"{Field}: expected {Expected}.";
    }

    /// <summary>
    /// Reads the query. <paramref name="datasets"/> are the (id, path) pairs the dataset may name: by id for a working
    /// state (<paramref name="datasetById"/>), by path for a version. <paramref name="allowed"/> lists other parameters
    /// the caller reads itself; any parameter not known is refused when <paramref name="strict"/> (the API), so a typo
    /// does not pass as "no condition".
    /// </summary>
    public static (ItemQuery? Query, Problem? Problem) Read(
        IQueryCollection query,
        IReadOnlyCollection<string> classes,
        IReadOnlyList<(long Id, string Path)> datasets,
        bool datasetById,
        IReadOnlyCollection<string> allowed,
        bool strict)
    {
        if (strict)
        {
            foreach (var key in query.Keys)
            {
                if (!Parameters.Contains(key, StringComparer.Ordinal) && !allowed.Contains(key, StringComparer.Ordinal))
                {
                    return (null, new Problem(key, $"a known parameter: one of {string.Join(", ", Parameters.Concat(allowed))} (names are case-sensitive)"));
                }
            }
        }

        var classList = Values(query, "class");
        foreach (var c in classList)
        {
            if (!classes.Contains(c, StringComparer.Ordinal))
            {
                return (null, new Problem("class", classes.Count == 0 ? "no class: this project defines none" : $"one of the project's classes ({Sample(classes)}), not '{c}'"));
            }
        }

        var tags = Values(query, "tag");
        var name = Single(query, "name");
        if (name is { Length: > 256 })
        {
            return (null, new Problem("name", "at most 256 characters"));
        }

        long? datasetId = null;
        string? datasetPath = null;
        if (Single(query, "dataset") is { } ds)
        {
            if (datasetById)
            {
                if (!long.TryParse(ds, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !datasets.Any(d => d.Id == id))
                {
                    return (null, new Problem("dataset", $"the id of one of the project's datasets ({Sample(datasets.Select(d => $"{d.Id} = {d.Path}").ToList())})"));
                }

                datasetId = id;
            }
            else
            {
                if (!datasets.Any(d => d.Path == ds))
                {
                    return (null, new Problem("dataset", $"the path of one of the version's datasets ({Sample(datasets.Select(d => d.Path).ToList())})"));
                }

                datasetPath = ds;
            }
        }

        int? minLabels = null, maxLabels = null, minWidth = null, maxWidth = null, minHeight = null, maxHeight = null;
        var bounds = new (string Min, string Max, Action<int?> SetMin, Action<int?> SetMax)[]
        {
            ("minLabels", "maxLabels", v => minLabels = v, v => maxLabels = v),
            ("minWidth", "maxWidth", v => minWidth = v, v => maxWidth = v),
            ("minHeight", "maxHeight", v => minHeight = v, v => maxHeight = v),
        };
        foreach (var (minName, maxName, setMin, setMax) in bounds)
        {
            if (Count(query, minName, out var min) is { } p1)
            {
                return (null, p1);
            }

            if (Count(query, maxName, out var max) is { } p2)
            {
                return (null, p2);
            }

            if (min > max)
            {
                return (null, new Problem(minName, $"at most {maxName} ({max}), not {min}"));
            }

            setMin(min);
            setMax(max);
        }

        return (new ItemQuery
        {
            Classes = classList,
            Tags = tags,
            Name = name,
            DatasetId = datasetId,
            DatasetPath = datasetPath,
            MinLabels = minLabels,
            MaxLabels = maxLabels,
            MinWidth = minWidth,
            MaxWidth = maxWidth,
            MinHeight = minHeight,
            MaxHeight = maxHeight,
        }, null);
    }

    /// <summary>A whole number ≥ 0 from an optional parameter (skip, take, page).</summary>
    public static Problem? Count(IQueryCollection query, string name, out int? value)
    {
        value = null;
        if (Single(query, name) is not { } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
        {
            return new Problem(name, $"a whole number from 0 to {int.MaxValue}, not '{Clip(text)}'");
        }

        value = v;
        return null;
    }

    /// <summary>The problem document of a bad parameter: 400 with <c>field</c> and <c>expected</c>.</summary>
    public static ProblemHttpResult ToResult(Problem p) =>
        TypedResults.Problem(
            title: "Invalid filter",
            detail: p.Message,
            statusCode: 400,
            extensions: new Dictionary<string, object?> { ["field"] = p.Field, ["expected"] = p.Expected });

    /// <summary>The filter parameters of a request again, URL-encoded with a leading '&amp;' each (for pager links).</summary>
    public static string Carry(IQueryCollection query)
    {
        var sb = new StringBuilder();
        foreach (var key in Parameters)
        {
            foreach (var v in query[key])
            {
                if (!string.IsNullOrEmpty(v))
                {
                    sb.Append('&').Append(key).Append('=').Append(Uri.EscapeDataString(v));
                }
            }
        }

        return sb.ToString();
    }

    private static List<string> Values(IQueryCollection query, string name) =>
        [.. query[name].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal)];

    private static string? Single(IQueryCollection query, string name) =>
        query[name].LastOrDefault(v => !string.IsNullOrEmpty(v));

    private static string Sample(IReadOnlyCollection<string> values) =>
        values.Count <= 12 ? string.Join(", ", values) : string.Join(", ", values.Take(12)) + $", … {values.Count - 12} more";

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
