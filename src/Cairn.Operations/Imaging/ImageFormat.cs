namespace Cairn.Operations.Imaging;

/// <summary>Encoding of an output image.</summary>
public enum ImageFormat
{
    /// <summary>JPEG (lossy, quality 1..100).</summary>
    Jpeg = 0,

    /// <summary>PNG (lossless).</summary>
    Png = 1,
}
