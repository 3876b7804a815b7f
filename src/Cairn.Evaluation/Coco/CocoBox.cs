namespace Cairn.Evaluation.Coco;

/// <summary>A COCO box [x, y, width, height] kept as given, so IoU uses the same arithmetic as pycocotools.</summary>
public readonly record struct CocoBox(double X, double Y, double Width, double Height)
{
    /// <summary>Width × height, the area pycocotools gives a box result.</summary>
    public double Area => Width * Height;
}
