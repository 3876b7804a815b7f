using Microsoft.ML.OnnxRuntime;

namespace Cairn.Inference.Internal;

/// <summary>Reads a session's inputs, outputs and metadata into a <see cref="ModelInfo"/> and picks the output layout.</summary>
internal static class ModelInspector
{
    private const int DefaultInputSize = 640;

    public static (ModelInfo Info, LayoutMatch Layout) Inspect(string path, InferenceSession session, DetectorOptions options)
    {
        var inputs = session.InputMetadata.Select(kv => Describe(kv.Key, kv.Value)).ToArray();
        var declaredOutputs = session.OutputMetadata.Select(kv => Describe(kv.Key, kv.Value)).ToArray();
        var images = inputs.Where(i => i.Shape.Count == 4).ToArray();
        if (inputs.Length != 1 || images.Length != 1)
        {
            throw new ModelFormatException(
                $"Model '{path}': expected one image input [B, 3, H, W]. Found inputs: {string.Join(", ", inputs.AsEnumerable())}.");
        }

        var input = images[0];
        if (input.ElementType != "Float")
        {
            throw new ModelFormatException($"Model '{path}': input {input} has element type {input.ElementType}; expected float32 (export without half precision).");
        }

        var channels = input.Shape[1] < 0 ? 3 : (int)input.Shape[1];
        if (channels != 3)
        {
            throw new ModelFormatException($"Model '{path}': input {input} has {channels} channels; expected 3 (RGB): export the detector with a 3-channel image input.");
        }

        var metadata = session.ModelMetadata.CustomMetadataMap;
        var metaSize = ModelMetadata.ImageSize(metadata);
        var height = input.Shape[2] > 0 ? (int)input.Shape[2] : options.InputSize ?? metaSize?.Height ?? DefaultInputSize;
        var width = input.Shape[3] > 0 ? (int)input.Shape[3] : options.InputSize ?? metaSize?.Width ?? DefaultInputSize;
        int? fixedBatch = input.Shape[0] > 0 ? (int)input.Shape[0] : null;

        var outputs = declaredOutputs.Any(o => o.Shape.Skip(1).Any(d => d < 1))
            ? Probe(path, session, input.Name, fixedBatch ?? 1, channels, height, width, declaredOutputs)
            : declaredOutputs;

        var names = options.ClassNames ?? ModelMetadata.ClassNames(metadata);
        int? classCount = names.Count > 0 ? names.Count : null;
        var layout = LayoutDetector.Detect(path, outputs, classCount, options.Layout, ModelMetadata.EndToEnd(metadata));
        var info = new ModelInfo(input.Name, width, height, channels, fixedBatch, layout.Layout, layout.ClassCount, names.ToArray(), inputs, outputs);
        return (info, layout);
    }

    private static TensorInfo Describe(string name, NodeMetadata meta) =>
        new(name, meta.IsTensor ? meta.ElementDataType.ToString() : meta.OnnxValueType.ToString(), meta.Dimensions.Select(d => (long)d).ToArray());

    /// <summary>Runs one zero image to learn output dimensions the model declares as dynamic (the batch stays -1).</summary>
    private static TensorInfo[] Probe(
        string path, InferenceSession session, string inputName, int batch, int channels, int height, int width, TensorInfo[] declared)
    {
        var data = new float[batch * channels * height * width];
        using var input = OrtValue.CreateTensorValueFromMemory(data, [batch, channels, height, width]);
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [inputName], [input], declared.Select(d => d.Name).ToArray());
            return declared.Select((d, i) =>
            {
                var shape = results[i].IsTensor ? results[i].GetTensorTypeAndShape().Shape : [];
                return d with { Shape = shape.Select((s, k) => k == 0 && d.Shape.Count > 0 && d.Shape[0] < 0 ? -1 : s).ToArray() };
            }).ToArray();
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException(
                $"Model '{path}': a probe run on a {width}×{height} zero image failed ({e.Message}). Found outputs: {string.Join(", ", declared.AsEnumerable())}.", e);
        }
    }
}
