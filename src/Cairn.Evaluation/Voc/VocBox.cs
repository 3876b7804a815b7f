namespace Cairn.Evaluation.Voc;

/// <summary>A box on an image in pixels (left, top, width, height); detections carry a confidence.</summary>
public readonly record struct VocBox(string ImageId, string ClassName, double Left, double Top, double Width, double Height, double Confidence = 1);
