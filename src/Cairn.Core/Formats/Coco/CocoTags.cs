namespace Cairn.Core.Formats.Coco;

/// <summary>Label tags through which COCO fields survive a round trip.</summary>
public static class CocoTags
{
    /// <summary>Tag (no value) on labels of a COCO annotation with <c>iscrowd: 1</c>.</summary>
    public const string IsCrowd = "iscrowd";

    /// <summary>
    /// Tag (value: the COCO annotation id) on each label cut from one COCO annotation that yields several labels
    /// (a polygon in parts, or a segmentation with keypoints); the COCO writer joins labels sharing it back into one annotation.
    /// </summary>
    public const string AnnotationId = "coco_id";
}
