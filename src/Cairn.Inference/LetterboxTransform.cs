namespace Cairn.Inference;

/// <summary>
/// The geometry of Ultralytics' LetterBox (auto=False, scale_fill=False, scaleup=True, center=True): the image is scaled by
/// <see cref="Scale"/> to <see cref="ResizedWidth"/> × <see cref="ResizedHeight"/> and padded to the model's input size.
/// </summary>
public readonly record struct LetterboxTransform(
    int SourceWidth,
    int SourceHeight,
    int TargetWidth,
    int TargetHeight,
    double Scale,
    int ResizedWidth,
    int ResizedHeight,
    int PadLeft,
    int PadTop,
    int PadRight,
    int PadBottom)
{
    /// <summary>Whether the image is resized at all (Ultralytics skips cv2.resize when the size is unchanged).</summary>
    public bool Resizes => ResizedWidth != SourceWidth || ResizedHeight != SourceHeight;

    /// <summary>
    /// Computes the letterbox of a <paramref name="sourceWidth"/> × <paramref name="sourceHeight"/> image into the target size,
    /// with Python's rounding (half to even), as <c>ultralytics/data/augment.py</c> LetterBox.__call__ does.
    /// </summary>
    public static LetterboxTransform Compute(int sourceWidth, int sourceHeight, int targetWidth, int targetHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sourceHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetHeight, 1);

        // r = min(new_h / h, new_w / w); new_unpad = int(round(w * r)), int(round(h * r)).
        var r = Math.Min((double)targetHeight / sourceHeight, (double)targetWidth / sourceWidth);
        var unpadW = (int)Math.Round(sourceWidth * r, MidpointRounding.ToEven);
        var unpadH = (int)Math.Round(sourceHeight * r, MidpointRounding.ToEven);
        var dw = (targetWidth - unpadW) / 2.0;
        var dh = (targetHeight - unpadH) / 2.0;
        var top = (int)Math.Round(dh - 0.1, MidpointRounding.ToEven);
        var bottom = (int)Math.Round(dh + 0.1, MidpointRounding.ToEven);
        var left = (int)Math.Round(dw - 0.1, MidpointRounding.ToEven);
        var right = (int)Math.Round(dw + 0.1, MidpointRounding.ToEven);
        return new LetterboxTransform(sourceWidth, sourceHeight, targetWidth, targetHeight, r, unpadW, unpadH, left, top, right, bottom);
    }

    /// <summary>Maps an x coordinate in model input pixels back to the original image, clipped to [0, width] (Ultralytics scale_boxes).</summary>
    public double MapX(float x) => Math.Clamp((x - PadLeft) / Scale, 0, SourceWidth);

    /// <summary>Maps a y coordinate in model input pixels back to the original image, clipped to [0, height].</summary>
    public double MapY(float y) => Math.Clamp((y - PadTop) / Scale, 0, SourceHeight);
}
