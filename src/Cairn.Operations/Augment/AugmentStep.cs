using System.Text.Json.Serialization;
using Cairn.Operations.Augment.Steps;

namespace Cairn.Operations.Augment;

/// <summary>One step of an augment pipeline; <see cref="P"/> is the probability that it runs on a given output image.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HorizontalFlip), "hflip")]
[JsonDerivedType(typeof(VerticalFlip), "vflip")]
[JsonDerivedType(typeof(Rotate), "rotate")]
[JsonDerivedType(typeof(Crop), "crop")]
[JsonDerivedType(typeof(RandomCrop), "randomCrop")]
[JsonDerivedType(typeof(Resize), "resize")]
[JsonDerivedType(typeof(Scale), "scale")]
[JsonDerivedType(typeof(Translate), "translate")]
[JsonDerivedType(typeof(GaussianNoise), "gaussianNoise")]
[JsonDerivedType(typeof(SaltAndPepper), "saltPepper")]
[JsonDerivedType(typeof(Steps.GaussianBlur), "gaussianBlur")]
[JsonDerivedType(typeof(MotionBlur), "motionBlur")]
[JsonDerivedType(typeof(Brightness), "brightness")]
[JsonDerivedType(typeof(Contrast), "contrast")]
[JsonDerivedType(typeof(Hue), "hue")]
[JsonDerivedType(typeof(Saturation), "saturation")]
[JsonDerivedType(typeof(Grayscale), "grayscale")]
[JsonDerivedType(typeof(Cutout), "cutout")]
[JsonDerivedType(typeof(Mosaic), "mosaic")]
public abstract record AugmentStep
{
    /// <summary>Probability in [0, 1] that the step runs (default 1).</summary>
    [JsonPropertyName("p")]
    public double P { get; init; } = 1;

    /// <summary>Runs the step on one output image.</summary>
    public abstract void Apply(AugmentContext context);

    /// <summary>Checks the parameters; returns a message that starts with the bad parameter's JSON name and a colon (<c>p: 2 is outside [0, 1]</c>), or null.</summary>
    public virtual string? Validate() => P is < 0 or > 1 ? $"p: {P} is outside [0, 1]" : null;
}
