using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cairn.Storage.Versions;

/// <summary>
/// Statistics of a version: totals, labels and images per class, per-dataset totals, and what changed since the version
/// before it (null for a first version, a restored one, and versions made before this was recorded). Stored as JSON in
/// the version row.
/// </summary>
public sealed record VersionStats(
    long Items,
    long Labels,
    long TotalBytes,
    IReadOnlyDictionary<string, ClassStat> Classes,
    IReadOnlyList<DatasetStat> Datasets,
    VersionChanges? Changes = null)
{
    /// <summary>No items.</summary>
    public static VersionStats Empty { get; } = new(0, 0, 0, new SortedDictionary<string, ClassStat>(StringComparer.Ordinal), []);

    /// <summary>The stored JSON form.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, VersionStatsJson.Default.VersionStats);

    /// <summary>Reads the stored JSON form; an empty or unreadable document gives <see cref="Empty"/>.</summary>
    public static VersionStats Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json) || json == "{}")
        {
            return Empty;
        }

        var s = JsonSerializer.Deserialize(json, VersionStatsJson.Default.VersionStats) ?? Empty;
        return s with { Classes = new SortedDictionary<string, ClassStat>(s.Classes.ToDictionary(), StringComparer.Ordinal) };
    }
}

/// <summary>
/// Source-generated (de)serialisation of <see cref="VersionStats"/>: every version read parses it, and reflection-built
/// converters cost a short CLI command more than the parse itself.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(VersionStats))]
[JsonSerializable(typeof(VersionChanges))]
internal sealed partial class VersionStatsJson : JsonSerializerContext;
