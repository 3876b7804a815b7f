using System.Text.Json.Serialization;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Augment;

/// <summary>How output images are encoded: <c>{"format": "jpeg", "quality": 90}</c> or <c>{"format": "png"}</c>.</summary>
public sealed record OutputSpec
{
    /// <summary>The image format.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<ImageFormat>))]
    public ImageFormat Format { get; init; } = ImageFormat.Jpeg;

    /// <summary>JPEG quality 1..100.</summary>
    public int Quality { get; init; } = 90;
}
