using System.Text.Json.Nodes;

namespace Cairn.Server.Pages;

/// <summary>
/// The augmentation steps the pipeline form offers, with each parameter's label, kind and the range its input allows.
/// The step records (Cairn.Operations.Augment.Steps) are the truth; a test checks that every step and parameter they
/// read is listed here. Mosaic is left out: it needs other images, which the augment task does not give it.
/// </summary>
public static class AugmentCatalog
{
    /// <summary>One parameter of a step: JSON name, label, kind (<c>range</c>: a number or [min, max]; <c>number</c>; <c>int</c>; <c>bool</c>), bounds and default.</summary>
    public sealed record Param(string Name, string Label, string Kind, double Min, double Max, double Step, JsonNode Default);

    /// <summary>One step: its <c>op</c>, a label for people, and its parameters after <c>p</c>.</summary>
    public sealed record Op(string Name, string Label, IReadOnlyList<Param> Params);

    private static Param R(string name, string label, double min, double max, double step, double lo, double hi) =>
        new(name, label, "range", min, max, step, lo == hi ? JsonValue.Create(lo) : new JsonArray(lo, hi));

    private static Param N(string name, string label, double min, double max, double step, double value) => new(name, label, "number", min, max, step, JsonValue.Create(value));

    private static Param I(string name, string label, double min, double max, double value) => new(name, label, "int", min, max, 1, JsonValue.Create((long)value));

    /// <summary>Every step the form offers, in the order of the "add a step" list.</summary>
    public static IReadOnlyList<Op> Ops { get; } =
    [
        new("hflip", "Horizontal flip", []),
        new("vflip", "Vertical flip", []),
        new("rotate", "Rotate", [R("angle", "Angle (degrees)", -180, 180, 1, -15, 15)]),
        new("crop", "Crop", [I("x", "Left (px)", 0, 100000, 0), I("y", "Top (px)", 0, 100000, 0), I("width", "Width (px)", 1, 100000, 128), I("height", "Height (px)", 1, 100000, 128), N("minVisible", "Keep labels with visible share ≥", 0, 1, 0.05, 0)]),
        new("randomCrop", "Random crop", [I("width", "Width (px, 0: by area)", 0, 100000, 0), I("height", "Height (px, 0: by area)", 0, 100000, 0), R("area", "Area kept (share)", 0.01, 1, 0.05, 0.5, 1), R("ratio", "Aspect ratio (w/h)", 0.1, 10, 0.05, 0.75, 1.33), N("minVisible", "Keep labels with visible share ≥", 0, 1, 0.05, 0)]),
        new("resize", "Resize", [I("width", "Width (px, 0: keep aspect)", 0, 100000, 256), I("height", "Height (px, 0: keep aspect)", 0, 100000, 0)]),
        new("scale", "Scale", [R("factor", "Factor", 0.05, 10, 0.05, 0.8, 1.2)]),
        new("translate", "Translate", [R("x", "Shift x (share of width)", -1, 1, 0.05, -0.1, 0.1), R("y", "Shift y (share of height)", -1, 1, 0.05, -0.1, 0.1), N("minVisible", "Keep labels with visible share ≥", 0, 1, 0.05, 0)]),
        new("gaussianNoise", "Gaussian noise", [R("sigma", "Sigma (grey levels)", 0, 100, 1, 8, 8), new("perChannel", "Per channel", "bool", 0, 1, 1, JsonValue.Create(true))]),
        new("saltPepper", "Salt and pepper", [R("amount", "Share of pixels", 0, 1, 0.005, 0.01, 0.01), N("saltRatio", "Share that is white", 0, 1, 0.05, 0.5)]),
        new("gaussianBlur", "Gaussian blur", [I("kernel", "Kernel (odd, px)", 1, 31, 5), R("sigma", "Sigma (px, 0: from kernel)", 0, 20, 0.1, 0, 0)]),
        new("motionBlur", "Motion blur", [I("kernel", "Length (px)", 1, 101, 7), R("angle", "Direction (degrees)", 0, 360, 1, 0, 180)]),
        new("brightness", "Brightness", [R("delta", "Levels added", -255, 255, 1, -20, 20)]),
        new("contrast", "Contrast", [R("factor", "Gain", 0, 5, 0.05, 0.9, 1.1), N("center", "Fixed level", 0, 255, 1, 128)]),
        new("hue", "Hue", [R("degrees", "Shift (degrees)", -180, 180, 1, -10, 10)]),
        new("saturation", "Saturation", [R("factor", "Gain", 0, 5, 0.05, 0.8, 1.2)]),
        new("grayscale", "Grayscale", []),
        new("cutout", "Cutout", [R("count", "Squares", 0, 50, 1, 1, 3), R("size", "Side (share of the shorter side)", 0.01, 1, 0.01, 0.1, 0.3), I("fill", "Fill grey level", 0, 255, 0)]),
    ];

    /// <summary>The catalog as the form's script reads it (a data attribute).</summary>
    public static string Json()
    {
        var ops = new JsonArray();
        foreach (var op in Ops)
        {
            var ps = new JsonArray();
            foreach (var p in op.Params)
            {
                ps.Add(new JsonObject { ["name"] = p.Name, ["label"] = p.Label, ["kind"] = p.Kind, ["min"] = p.Min, ["max"] = p.Max, ["step"] = p.Step, ["default"] = p.Default.DeepClone() });
            }

            ops.Add(new JsonObject { ["op"] = op.Name, ["label"] = op.Label, ["params"] = ps });
        }

        return ops.ToJsonString();
    }
}
