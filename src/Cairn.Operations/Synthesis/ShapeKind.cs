namespace Cairn.Operations.Synthesis;

/// <summary>Shapes the synthetic generator draws; the first three are the classes of the sample model shapes-det.onnx.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ShapeKind>))]
public enum ShapeKind
{
    /// <summary>A circle (a 32-gon, as the sample model's training data).</summary>
    Circle = 0,

    /// <summary>A square at a random rotation.</summary>
    Square = 1,

    /// <summary>An equilateral triangle at a random rotation.</summary>
    Triangle = 2,

    /// <summary>A five-pointed star.</summary>
    Star = 3,

    /// <summary>A regular hexagon.</summary>
    Hexagon = 4,
}
