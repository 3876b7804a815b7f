using Cairn.Core.Model;
using Cairn.Operations.Geometry;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Augment;

/// <summary>
/// The state of one output image while the steps run. Geometric steps only compose a pending affine map;
/// the image is resampled once, and the labels mapped once, when a pixel step or the end needs the pixels.
/// </summary>
public sealed class AugmentContext : IDisposable
{
    private RgbaImage _image;
    private bool _owned;
    private Affine _pending = Affine.Identity;
    private int _srcW, _srcH;
    private double _pendingMinVisible;
    private List<Label> _labels;
    private IReadOnlyList<Tag> _tags;
    private byte[]? _lut;

    internal AugmentContext(RgbaImage source, Annotation annotation, Xoshiro256 rng, double minVisible, ProjectMeta? meta, MosaicSource? mosaic)
    {
        _image = source;
        _owned = false;
        _srcW = Width = source.Width;
        _srcH = Height = source.Height;
        _labels = [.. annotation.Labels];
        _tags = annotation.Tags;
        Rng = rng;
        MinVisible = minVisible;
        Meta = meta;
        Mosaic = mosaic;
    }

    /// <summary>The generator of this output image.</summary>
    public Xoshiro256 Rng { get; }

    /// <summary>Width after the steps so far.</summary>
    public int Width { get; private set; }

    /// <summary>Height after the steps so far.</summary>
    public int Height { get; private set; }

    /// <summary>The pipeline's minimum visible fraction of a clipped label.</summary>
    public double MinVisible { get; }

    /// <summary>The project meta, for keypoint left/right pairs; may be null.</summary>
    public ProjectMeta? Meta { get; }

    /// <summary>Where mosaic draws its other images; null when the caller gave none.</summary>
    public MosaicSource? Mosaic { get; }

    /// <summary>Appends a geometric change: <paramref name="map"/> takes current coordinates to the new ones of a newW×newH image.</summary>
    public void Transform(Affine map, int newW, int newH, double minVisible = 0)
    {
        _pending = Affine.Compose(_pending, map);
        Width = newW;
        Height = newH;
        _pendingMinVisible = Math.Max(_pendingMinVisible, minVisible);
    }

    /// <summary>The pixels, resampled if geometry is pending, owned by this context (safe to change in place).</summary>
    public RgbaImage Image
    {
        get
        {
            Flush();
            if (!_owned)
            {
                _image = _image.Clone();
                _owned = true;
            }

            if (_lut is not null)
            {
                Kernels.ApplyLut(_image.Pixels, _lut);
                _lut = null;
            }

            return _image;
        }
    }

    /// <summary>Queues a per-channel table (R, G, B); consecutive tables fuse into one pass over the pixels.</summary>
    public void ApplyLut(byte[] lut)
    {
        if (_lut is null)
        {
            _lut = lut;
            return;
        }

        var fused = new byte[256];
        for (var i = 0; i < 256; i++)
        {
            fused[i] = lut[_lut[i]];
        }

        _lut = fused;
    }

    /// <summary>The labels after pending geometry.</summary>
    public List<Label> Labels
    {
        get
        {
            Flush();
            return _labels;
        }
    }

    /// <summary>Replaces the pixels with a new image of the same or another size (the context takes ownership).</summary>
    public void ReplaceImage(RgbaImage image, List<Label>? labels = null)
    {
        Flush();
        if (_owned && !ReferenceEquals(image, _image))
        {
            _image.Dispose();
        }

        _image = image;
        _owned = true;
        _srcW = Width = image.Width;
        _srcH = Height = image.Height;
        if (labels is not null)
        {
            _labels = labels;
        }
    }

    /// <summary>Resamples pending geometry and returns the finished image (caller owns it) and annotation.</summary>
    internal (RgbaImage Image, Annotation Annotation) Finish()
    {
        var image = Image;
        _owned = false;
        return (image, new Annotation(image.Width, image.Height, _tags, _labels));
    }

    private void Flush()
    {
        if (_pending.IsIdentity && Width == _srcW && Height == _srcH)
        {
            return;
        }

        var dst = new RgbaImage(Width, Height);
        Warp.Bilinear(_image, dst, _pending, 0, 0, Width, Height);
        _labels = LabelTransform.Apply(_labels, _pending, _srcW, _srcH, Width, Height, new BoxD(0, 0, Width, Height), Math.Max(MinVisible, _pendingMinVisible), Meta);
        if (_owned)
        {
            _image.Dispose();
        }

        _image = dst;
        _owned = true;
        _srcW = Width;
        _srcH = Height;
        _pending = Affine.Identity;
        _pendingMinVisible = 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_owned)
        {
            _image.Dispose();
            _owned = false;
        }
    }
}
