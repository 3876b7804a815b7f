namespace Cairn.Core.Model;

/// <summary>One node of a keypoint graph; <see cref="Visibility"/> follows COCO: 0 not labelled, 1 labelled but hidden, 2 visible.</summary>
public readonly record struct Keypoint(double X, double Y, int Visibility);
