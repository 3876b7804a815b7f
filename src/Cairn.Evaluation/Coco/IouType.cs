namespace Cairn.Evaluation.Coco;

/// <summary>What the IoU is measured on.</summary>
public enum IouType
{
    /// <summary>Boxes.</summary>
    Bbox,

    /// <summary>Segmentation masks.</summary>
    Segm,

    /// <summary>
    /// Boundary IoU (Cheng et al. 2021) as boundary-iou-api's COCOeval iouType "boundary" uses it: the smaller of mask
    /// IoU and the IoU of the boundary regions (pixels within 2% of the image diagonal of the contour); mask IoU
    /// against crowd regions.
    /// </summary>
    Boundary,
}
