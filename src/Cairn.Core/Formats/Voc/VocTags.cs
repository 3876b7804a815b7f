namespace Cairn.Core.Formats.Voc;

/// <summary>Label tags that carry Pascal VOC object flags through a round trip.</summary>
public static class VocTags
{
    /// <summary>Tag (no value) for <c>&lt;difficult&gt;1&lt;/difficult&gt;</c>.</summary>
    public const string Difficult = "difficult";

    /// <summary>Tag (no value) for <c>&lt;truncated&gt;1&lt;/truncated&gt;</c>.</summary>
    public const string Truncated = "truncated";

    /// <summary>Tag (no value) for <c>&lt;occluded&gt;1&lt;/occluded&gt;</c>.</summary>
    public const string Occluded = "occluded";

    /// <summary>Tag (value: the pose text) for a <c>&lt;pose&gt;</c> other than "Unspecified".</summary>
    public const string Pose = "pose";
}
