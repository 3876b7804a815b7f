namespace Cairn.Core.Model;

/// <summary>A point in image pixel coordinates (x to the right, y down; pixel centres at .5).</summary>
public readonly record struct PointD(double X, double Y);
