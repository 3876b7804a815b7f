namespace Cairn.Inference.Internal;

/// <summary>A batch ready for the model: the input tensor (reused between batches), and per image its key and letterbox.</summary>
internal sealed class PreparedBatch
{
    public PreparedBatch(int capacity, int imageFloats)
    {
        Tensor = new float[capacity * imageFloats];
        Keys = new string[capacity];
        Transforms = new LetterboxTransform[capacity];
        ImageFloats = imageFloats;
    }

    public float[] Tensor { get; }

    public string[] Keys { get; }

    public LetterboxTransform[] Transforms { get; }

    public int ImageFloats { get; }

    public int Capacity => Keys.Length;

    /// <summary>Images filled in so far (the rest of the tensor is padding for fixed-batch models).</summary>
    public int Count { get; set; }

    public Span<float> ImageSlice(int index) => Tensor.AsSpan(index * ImageFloats, ImageFloats);
}
