namespace Cairn.Core.Model;

/// <summary>An object class of a project: its name, the shape of its labels, its display colour (#RRGGBB) and, for keypoint classes, the graph template.</summary>
public sealed record ObjClass(string Name, GeometryKind Shape, string Color, KeypointTemplate? Keypoints = null);
