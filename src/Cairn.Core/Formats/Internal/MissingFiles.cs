namespace Cairn.Core.Formats.Internal;

/// <summary>Collects image files an annotation lists but the folder lacks, and fails once with a bounded list.</summary>
internal sealed class MissingFiles(string file, int maxListed)
{
    private readonly List<string> _listed = [];
    private int _count;

    public void Add(string relative)
    {
        if (_listed.Count < maxListed)
        {
            _listed.Add(relative);
        }

        _count++;
    }

    public void ThrowIfAny(string what = "image file(s) listed but missing")
    {
        if (_count == 0)
        {
            return;
        }

        var more = _count > _listed.Count ? $" and {_count - _listed.Count} more" : string.Empty;
        throw new DatasetFormatException(file, null, $"{_count} {what}: {string.Join(", ", _listed)}{more}");
    }
}
