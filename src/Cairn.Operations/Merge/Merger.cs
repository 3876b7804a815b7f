using Cairn.Core.Model;

namespace Cairn.Operations.Merge;

/// <summary>
/// Merges projects or datasets. Classes match by name (after requested renames); a class with the same name but
/// another shape becomes shape Any, another colour keeps the first colour; both are reported. Images with the same
/// content id are reported (and skipped on request). Items that would collide on dataset/name get a suffix.
/// </summary>
public static class Merger
{
    /// <summary>Merges <paramref name="sources"/> in order.</summary>
    public static MergeResult Merge(IReadOnlyList<MergeSource> sources, MergeOptions? options = null)
    {
        options ??= new MergeOptions();
        var classes = new List<ObjClass>();
        var classIndex = new Dictionary<string, (int Index, string Source)>(StringComparer.Ordinal);
        var tags = new List<TagMeta>();
        var tagIndex = new Dictionary<string, string>(StringComparer.Ordinal);
        var conflicts = new List<MergeConflict>();
        var duplicates = new List<DuplicateImage>();
        var renamedItems = new List<string>();
        var items = new List<ItemRecord>();
        var seenImages = new Dictionary<string, (string Source, string Item)>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);

        foreach (var unknown in options.Renames.Where(r => !sources.Any(s => s.Name == r.Source && s.Meta.FindClass(r.From) is not null)))
        {
            throw new ArgumentException($"merge: source '{unknown.Source}' has no class '{unknown.From}' to rename", nameof(options));
        }

        foreach (var source in sources)
        {
            var rename = options.Renames.Where(r => r.Source == source.Name).ToDictionary(r => r.From, r => r.To, StringComparer.Ordinal);
            string Map(string name) => rename.TryGetValue(name, out var to) ? to : name;

            foreach (var c in source.Meta.Classes)
            {
                var name = Map(c.Name);
                if (!classIndex.TryGetValue(name, out var existing))
                {
                    classIndex[name] = (classes.Count, source.Name);
                    classes.Add(c with { Name = name });
                    continue;
                }

                var first = classes[existing.Index];
                if (first.Shape != c.Shape)
                {
                    conflicts.Add(new MergeConflict("class", name, source.Name, $"shape {c.Shape} here, {first.Shape} in '{existing.Source}'", "shape set to Any"));
                    classes[existing.Index] = first = first with { Shape = GeometryKind.Any };
                }

                if (!string.Equals(first.Color, c.Color, StringComparison.OrdinalIgnoreCase))
                {
                    conflicts.Add(new MergeConflict("class", name, source.Name, $"colour {c.Color} here, {first.Color} in '{existing.Source}'", "first colour kept"));
                }

                if (!Equals(first.Keypoints, c.Keypoints))
                {
                    conflicts.Add(new MergeConflict("class", name, source.Name, $"keypoint template differs from '{existing.Source}'", "first template kept"));
                }
            }

            foreach (var t in source.Meta.Tags)
            {
                if (!tagIndex.TryGetValue(t.Name, out var firstSource))
                {
                    tagIndex[t.Name] = source.Name;
                    tags.Add(t);
                }
                else if (!tags.First(x => x.Name == t.Name).Equals(t))
                {
                    conflicts.Add(new MergeConflict("tag", t.Name, source.Name, $"definition differs from '{firstSource}'", "first definition kept"));
                }
            }

            foreach (var item in source.Items)
            {
                var key = $"{source.Name}/{item.Dataset}/{item.Name}";
                if (seenImages.TryGetValue(item.ImageId, out var first))
                {
                    duplicates.Add(new DuplicateImage(item.ImageId, first.Source, first.Item, source.Name, $"{item.Dataset}/{item.Name}", options.SkipDuplicates));
                    if (options.SkipDuplicates)
                    {
                        continue;
                    }
                }
                else
                {
                    seenImages[item.ImageId] = (source.Name, $"{item.Dataset}/{item.Name}");
                }

                var dataset = options.IntoDataset
                    ?? (options.DatasetPerSource ? (item.Dataset.Length > 0 ? $"{source.Name}/{item.Dataset}" : source.Name) : item.Dataset);
                var name = item.Name;
                for (var n = 2; !names.Add($"{dataset}\n{name}"); n++)
                {
                    name = Suffixed(item.Name, n);
                }

                if (name != item.Name)
                {
                    renamedItems.Add($"{key} → {dataset}/{name}");
                }

                var annotation = rename.Count == 0
                    ? item.Annotation
                    : item.Annotation with { Labels = item.Annotation.Labels.Select(l => l with { ClassName = Map(l.ClassName) }).ToList() };
                items.Add(item with { Dataset = dataset, Name = name, Annotation = annotation });
            }
        }

        return new MergeResult(new ProjectMeta(classes, tags), items, conflicts, duplicates, renamedItems);
    }

    private static string Suffixed(string name, int n)
    {
        var ext = Path.GetExtension(name);
        return $"{name[..^ext.Length]}_{n}{ext}";
    }
}
