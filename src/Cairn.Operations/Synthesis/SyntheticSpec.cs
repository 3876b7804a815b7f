using System.Text.Json.Serialization;
using Cairn.Core.Model;

namespace Cairn.Operations.Synthesis;

/// <summary>
/// Settings of the procedural scene generator. The defaults reproduce the style the sample model shapes-det.onnx was
/// trained on (../shared/tools/shapes_model.py): 256×256, a left-to-right gradient between two random colours plus
/// N(0, 12²) noise, 1–6 circles, squares or triangles of radius 8–48 in random flat colours.
/// </summary>
public sealed record SyntheticSpec
{
    /// <summary>Seed; image i uses a generator derived from it and i, so any image can be made alone.</summary>
    public ulong Seed { get; init; }

    /// <summary>Image width.</summary>
    public int Width { get; init; } = 256;

    /// <summary>Image height.</summary>
    public int Height { get; init; } = 256;

    /// <summary>Fewest shapes per image.</summary>
    public int MinShapes { get; init; } = 1;

    /// <summary>Most shapes per image.</summary>
    public int MaxShapes { get; init; } = 6;

    /// <summary>Smallest circumradius in pixels.</summary>
    public double MinRadius { get; init; } = 8;

    /// <summary>Largest circumradius in pixels.</summary>
    public double MaxRadius { get; init; } = 48;

    /// <summary>Standard deviation of the background noise.</summary>
    public double NoiseSigma { get; init; } = 12;

    /// <summary>Shapes to draw (class names are the lower-case kind names).</summary>
    public IReadOnlyList<ShapeKind> Kinds { get; init; } = [ShapeKind.Circle, ShapeKind.Square, ShapeKind.Triangle];

    /// <summary>
    /// Place shapes so they do not overlap (default), which keeps every label exactly the visible shape. When false,
    /// later shapes may cover earlier ones, as in the sample model's training data; labels are then the drawn shapes,
    /// not their visible parts.
    /// </summary>
    public bool AvoidOverlap { get; init; } = true;

    /// <summary>Label geometry: Polygon (default) or Rectangle.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<GeometryKind>))]
    public GeometryKind LabelShape { get; init; } = GeometryKind.Polygon;
}
