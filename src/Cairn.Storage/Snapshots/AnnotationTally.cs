using System.Text.Json;

namespace Cairn.Storage.Snapshots;

/// <summary>Counts labels per class in a canonical annotation document without building the object model.</summary>
public static class AnnotationTally
{
    /// <summary>Label counts per class, ordered by class name (ordinal), from canonical annotation JSON.</summary>
    public static LabelTally[] Count(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        var inLabels = false;
        string? single = null;
        var singleCount = 0;
        Dictionary<string, int>? many = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                    inLabels = reader.ValueTextEquals("labels"u8);
                    break;
                case JsonTokenType.PropertyName when inLabels && reader.CurrentDepth == 3 && reader.ValueTextEquals("class"u8):
                    reader.Read();
                    var name = reader.GetString() ?? string.Empty;
                    if (single is null || (many is null && single == name))
                    {
                        single = name;
                        singleCount++;
                    }
                    else
                    {
                        many ??= new Dictionary<string, int>(StringComparer.Ordinal) { [single] = singleCount };
                        many[name] = many.GetValueOrDefault(name) + 1;
                    }

                    break;
            }
        }

        if (many is not null)
        {
            var result = many.Select(kv => new LabelTally(kv.Key, kv.Value)).ToArray();
            Array.Sort(result, (x, y) => string.CompareOrdinal(x.ClassName, y.ClassName));
            return result;
        }

        return single is null ? [] : [new LabelTally(single, singleCount)];
    }
}
