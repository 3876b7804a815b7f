namespace Cairn.Evaluation.Coco;

/// <summary>What the IoU is measured on.</summary>
public enum IouType
{
    /// <summary>Boxes.</summary>
    Bbox,

    /// <summary>Segmentation masks.</summary>
    Segm,
}
