using Cairn.Storage.Snapshots;

namespace Cairn.Storage.Versions;

/// <summary>Accumulates version statistics item by item; a patch subtracts the replaced entry and adds the new one.</summary>
internal sealed class StatsBuilder
{
    private readonly SortedDictionary<string, ClassStat> _classes = new(StringComparer.Ordinal);

    public StatsBuilder()
    {
    }

    public StatsBuilder(VersionStats from)
    {
        Items = from.Items;
        Labels = from.Labels;
        Bytes = from.TotalBytes;
        foreach (var (k, v) in from.Classes)
        {
            _classes[k] = v;
        }
    }

    public long Items { get; private set; }

    public long Labels { get; private set; }

    public long Bytes { get; private set; }

    public void Add(ItemEntry e) => Apply(e, 1);

    public void Remove(ItemEntry e) => Apply(e, -1);

    public VersionStats Build(IEnumerable<DatasetRef> datasets)
    {
        var classes = new SortedDictionary<string, ClassStat>(StringComparer.Ordinal);
        foreach (var (k, v) in _classes)
        {
            if (v.Labels != 0 || v.Images != 0)
            {
                classes[k] = v;
            }
        }

        return new VersionStats(Items, Labels, Bytes, classes, datasets.Select(d => new DatasetStat(d.Path, d.Items, d.Labels, d.Bytes)).ToList());
    }

    private void Apply(ItemEntry e, int sign)
    {
        Items += sign;
        Labels += sign * e.LabelCount;
        Bytes += sign * e.ImageSize;
        foreach (var t in e.Classes)
        {
            var c = _classes.GetValueOrDefault(t.ClassName);
            _classes[t.ClassName] = new ClassStat(c.Labels + sign * t.Count, c.Images + sign);
        }
    }
}
