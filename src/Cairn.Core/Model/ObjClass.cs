namespace Cairn.Core.Model;

/// <summary>
/// An object class of a project: its name, the shape of its labels, its display colour (#RRGGBB), for keypoint classes
/// the graph template, and optionally the broader category it belongs to (COCO's supercategory: "vehicle" for "car").
/// </summary>
public sealed record ObjClass(string Name, GeometryKind Shape, string Color, KeypointTemplate? Keypoints = null, string? Supercategory = null);
