using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Operations.Models;

/// <summary>
/// Which dataset class each output class of a model means. A mapping is JSON, as a task parameter takes it: an array of
/// names (one per model class, in index order) or an object of model class index → dataset class (the other classes
/// keep the model's names). The CLI builds it from <c>--classes a,b,c</c> or <c>--classes-file FILE</c>.
/// </summary>
public static class ClassMapping
{
    /// <summary>
    /// The mapping of <c>--classes</c> (comma-separated names) or <c>--classes-file</c> (one name per line, or a JSON
    /// object of model index → dataset class); null when neither is given. Throws <see cref="ModelRegistryException"/>
    /// naming the file and line or JSON key at fault.
    /// </summary>
    public static JsonNode? FromOptions(string? classes, string? classesFile)
    {
        if (classes is not null && classesFile is not null)
        {
            throw new ModelRegistryException("--classes and --classes-file: give one of them, not both");
        }

        if (classes is not null)
        {
            var names = classes.Split(',', StringSplitOptions.TrimEntries);
            if (names.Any(n => n.Length == 0))
            {
                throw new ModelRegistryException($"--classes '{classes}': expected class names separated by commas, one per model class in index order, none empty");
            }

            return new JsonArray([.. names.Select(n => (JsonNode)n)]);
        }

        if (classesFile is null)
        {
            return null;
        }

        if (!File.Exists(classesFile))
        {
            throw new ModelRegistryException($"--classes-file {classesFile}: no such file; expected one class name per line, or a JSON object of model class index → dataset class");
        }

        var text = File.ReadAllText(classesFile);
        if (text.TrimStart().StartsWith('{'))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new ModelRegistryException($"{classesFile}: not JSON ({e.Message}); expected an object like {{\"0\": \"person\", \"1\": \"car\"}}");
            }

            var map = node!.AsObject();
            foreach (var (key, value) in map)
            {
                if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    throw new ModelRegistryException($"{classesFile}: key \"{key}\": expected a model class index (0, 1, …)");
                }

                if (value is not JsonValue v || !v.TryGetValue<string>(out var name) || name.Trim().Length == 0)
                {
                    throw new ModelRegistryException($"{classesFile}: $[\"{key}\"]: expected the dataset class name model class {key} means");
                }
            }

            return map;
        }

        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Length == 0)
            {
                throw new ModelRegistryException($"{classesFile}, line {i + 1}: empty; expected one class name per line, line N naming model class N-1");
            }
        }

        if (lines.Count == 0)
        {
            throw new ModelRegistryException($"{classesFile}: empty; expected one class name per line, line N naming model class N-1");
        }

        return new JsonArray([.. lines.Select(n => (JsonNode)n)]);
    }

    /// <summary>
    /// The model's class names after <paramref name="mapping"/> (null: unchanged). Throws
    /// <see cref="ModelRegistryException"/> when it does not fit the model's class count.
    /// </summary>
    public static IReadOnlyList<string> Apply(JsonNode? mapping, IReadOnlyList<string> modelClasses)
    {
        ArgumentNullException.ThrowIfNull(modelClasses);
        switch (mapping)
        {
            case null:
                return modelClasses;
            case JsonArray list:
                var names = list.Select(n => n?.GetValue<string>() ?? string.Empty).ToList();
                if (names.Count != modelClasses.Count || names.Any(n => n.Length == 0))
                {
                    throw new ModelRegistryException($"classes: {names.Count} names ({string.Join(", ", names)}) for a model with {modelClasses.Count} classes ({string.Join(", ", modelClasses)}); give one non-empty name per model class, in index order");
                }

                return names;
            case JsonObject map:
                var mapped = modelClasses.ToArray();
                foreach (var (key, value) in map)
                {
                    if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= mapped.Length)
                    {
                        throw new ModelRegistryException($"classes: key \"{key}\": expected a model class index 0…{mapped.Length - 1} (the model's classes: {string.Join(", ", modelClasses)})");
                    }

                    mapped[i] = value?.GetValue<string>() ?? mapped[i];
                }

                return mapped;
            default:
                throw new ModelRegistryException("classes: expected an array of class names or an object of model class index → dataset class");
        }
    }

    /// <summary>The names of <paramref name="names"/> that are not in <paramref name="others"/>, in order.</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<string> names, IReadOnlyList<string> others)
    {
        var set = others.ToHashSet(StringComparer.Ordinal);
        return names.Where(n => !set.Contains(n)).ToList();
    }
}
