using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Cairn.Inference.Internal;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Cairn.Inference;

/// <summary>
/// A detector model loaded in ONNX Runtime: letterbox preprocessing, batched inference, decoding and class-wise NMS.
/// Detection streams images so memory does not grow with the dataset. Safe to use from several callers at once.
/// </summary>
public sealed class OnnxDetector : IDisposable
{
    private const string CudaProvider = "CUDAExecutionProvider";

    private readonly InferenceSession _session;
    private readonly LayoutMatch _layout;
    private readonly string[] _outputNames;
    private readonly ConcurrentBag<Postprocessor> _postprocessors = [];
    private readonly RunOptions _runOptions = new();

    private OnnxDetector(string path, InferenceSession session, DetectorOptions options, string device, int intraOpThreads)
    {
        _session = session;
        Options = options;
        Device = device;
        IntraOpThreads = intraOpThreads;
        PreprocessThreads = options.PreprocessThreads > 0 ? options.PreprocessThreads : Environment.ProcessorCount;
        (Info, _layout) = ModelInspector.Inspect(path, session, options);
        _outputNames = _layout.Layout == OutputLayout.BoxesScoresLabels
            ? [Info.Outputs[_layout.Output].Name, Info.Outputs[_layout.ScoresOutput].Name, Info.Outputs[_layout.LabelsOutput].Name]
            : [Info.Outputs[_layout.Output].Name];
    }

    /// <summary>What the model expects and produces.</summary>
    public ModelInfo Info { get; }

    /// <summary>The options the detector was loaded with.</summary>
    public DetectorOptions Options { get; }

    /// <summary>The execution provider in use: <c>CPU</c> or <c>CUDA</c>.</summary>
    public string Device { get; }

    /// <summary>Why the device is not the one <see cref="ExecutionDevice.Auto"/> would prefer, when it is not; else null.</summary>
    public string? DeviceNote { get; private init; }

    /// <summary>ONNX Runtime intra-op threads as configured (0: the runtime's default, one per physical core).</summary>
    public int IntraOpThreads { get; }

    /// <summary>Images decoded and letterboxed in parallel.</summary>
    public int PreprocessThreads { get; }

    /// <summary>The ONNX Runtime version, e.g. <c>1.31.1</c>.</summary>
    public static string RuntimeVersion => OrtEnv.Instance().GetVersionString();

    /// <summary>Whether the installed ONNX Runtime offers the CUDA execution provider.</summary>
    public static bool CudaAvailable => OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider);

    /// <summary>Loads and inspects a model; throws <see cref="ModelFormatException"/> naming the file when it is not a usable detector.</summary>
    public static OnnxDetector Load(string path, DetectorOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new DetectorOptions();
        options.Detection.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(options.IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(options.PreprocessThreads);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file '{path}' not found.", path);
        }

        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.SpinWait ? "1" : "0");
        var device = "CPU";
        string? note = null;
        var cuda = CudaAvailable;
        if (options.Device == ExecutionDevice.Cuda && !cuda)
        {
            throw new InvalidOperationException(
                $"CUDA was asked for but ONNX Runtime {RuntimeVersion} offers only {string.Join(", ", OrtEnv.Instance().GetAvailableProviders())}. " +
                "This build has the CPU runtime: build Cairn with `-p:CairnGpu=true` on a machine with CUDA 12 and cuDNN 9 (docs/inference.md), or run on the CPU.");
        }

        if (options.Device != ExecutionDevice.Cpu && cuda)
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(0);
                device = "CUDA";
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                // The runtime has the CUDA provider but the machine lacks a GPU, its driver, CUDA or cuDNN.
                if (options.Device == ExecutionDevice.Cuda)
                {
                    throw new InvalidOperationException(
                        $"CUDA was asked for but its provider did not load: {e.Message}. Check the GPU driver, CUDA 12 and cuDNN 9 (`nvidia-smi`, the library path), or run on the CPU.", e);
                }

                note = $"CUDA provider did not load ({e.Message}); running on the CPU";
            }
        }

        InferenceSession session;
        try
        {
            session = new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException($"Model '{path}': ONNX Runtime cannot load it: {e.Message}. Check that the file is a complete ONNX export (e.g. Ultralytics `yolo export format=onnx`)", e);
        }

        try
        {
            return new OnnxDetector(path, session, options, device, options.IntraOpThreads) { DeviceNote = note };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Detects objects in a stream of images, <paramref name="batchSize"/> at a time (a fixed-batch model uses its own),
    /// yielding results in input order. The next batch is decoded and letterboxed while the model runs the current one.
    /// </summary>
    public async IAsyncEnumerable<ImageDetections> DetectAsync(
        IAsyncEnumerable<ImageInput> images, int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var capacity = EffectiveBatchSize(batchSize);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ready = Channel.CreateBounded<PreparedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var free = new ConcurrentBag<PreparedBatch>();
        var producer = Task.Run(() => ProduceAsync(images, capacity, ready.Writer, free, cts.Token), cts.Token);
        try
        {
            await foreach (var batch in ready.Reader.ReadAllAsync(cts.Token))
            {
                var results = RunAndDecode(batch);
                free.Add(batch);
                foreach (var result in results)
                {
                    yield return result;
                }
            }

            await producer;
        }
        finally
        {
            await cts.CancelAsync();
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Detects objects in a list of images; a convenience over the streaming overload.</summary>
    public async Task<IReadOnlyList<ImageDetections>> DetectAsync(
        IEnumerable<ImageInput> images, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var results = new List<ImageDetections>();
        await foreach (var r in DetectAsync(images.ToAsyncEnumerable(), batchSize, cancellationToken))
        {
            results.Add(r);
        }

        return results;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>The batch size actually used: the model's fixed batch if it has one.</summary>
    internal int EffectiveBatchSize(int requested) => Info.FixedBatchSize is int fixedBatch ? fixedBatch : requested;

    internal PreparedBatch NewBatch(int capacity) => new(capacity, Info.Channels * Info.InputHeight * Info.InputWidth);

    /// <summary>Letterboxes decoded images into <paramref name="batch"/> in parallel.</summary>
    internal void Preprocess(IReadOnlyList<DecodedImage> images, IReadOnlyList<string> keys, PreparedBatch batch, CancellationToken cancellationToken)
    {
        var (w, h) = (Info.InputWidth, Info.InputHeight);
        batch.Count = images.Count;
        Parallelism.For(images.Count, PreprocessThreads, cancellationToken, i =>
        {
            var image = images[i];
            var t = LetterboxTransform.Compute(image.Width, image.Height, w, h);
            Letterbox.Apply(image.Pixels, image.RowBytes, in t, batch.ImageSlice(i));
            batch.Transforms[i] = t;
            batch.Keys[i] = keys[i];
        });
        ClearPadding(batch);
    }

    /// <summary>Runs the model on a prepared batch; the caller disposes the outputs.</summary>
    internal IDisposableReadOnlyCollection<OrtValue> Run(PreparedBatch batch)
    {
        var n = Info.FixedBatchSize ?? batch.Count;
        long[] shape = [n, Info.Channels, Info.InputHeight, Info.InputWidth];
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch.Tensor.AsMemory(0, n * batch.ImageFloats), shape);
        // InferenceSession.Run is safe to call from several threads at once.
        return _session.Run(_runOptions, [Info.InputName], [input], _outputNames);
    }

    /// <summary>Decodes the outputs of <see cref="Run"/> into detections per image.</summary>
    internal ImageDetections[] Postprocess(IReadOnlyList<OrtValue> outputs, PreparedBatch batch)
    {
        // Postprocessors keep reusable buffers, so each call borrows one: concurrent callers never share one.
        var postprocessor = _postprocessors.TryTake(out var p) ? p : new Postprocessor(Info.Layout, Info.ClassCount, Options.Detection);
        try
        {
            return Postprocess(outputs, batch, postprocessor);
        }
        finally
        {
            _postprocessors.Add(postprocessor);
        }
    }

    private ImageDetections[] Postprocess(IReadOnlyList<OrtValue> outputs, PreparedBatch batch, Postprocessor postprocessor)
    {
        var results = new ImageDetections[batch.Count];
        var main = outputs[0].GetTensorDataAsSpan<float>();
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        if (Info.Layout == OutputLayout.BoxesScoresLabels)
        {
            var scores = outputs[1].GetTensorDataAsSpan<float>();
            var labels = Labels(outputs[2]);
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = postprocessor.DecodeBoxesScoresLabels(main, scores, labels, i, (int)shape[1], in batch.Transforms[i], batch.Keys[i]);
            }

            return results;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            results[i] = postprocessor.Decode(main, i, (int)shape[1], (int)shape[2], in batch.Transforms[i], batch.Keys[i]);
        }

        return results;
    }

    internal DecodedImage Decode(ImageInput input) => DecodedImage.Decode(input.Key, input.Encoded.Span, Options.MaxImagePixels);

    private static long[] Labels(OrtValue value)
    {
        var type = value.GetTensorTypeAndShape().ElementDataType;
        return type switch
        {
            TensorElementType.Int64 => value.GetTensorDataAsSpan<long>().ToArray(),
            TensorElementType.Int32 => Array.ConvertAll(value.GetTensorDataAsSpan<int>().ToArray(), x => (long)x),
            TensorElementType.Float => Array.ConvertAll(value.GetTensorDataAsSpan<float>().ToArray(), x => (long)x),
            _ => throw new InvalidDataException($"Labels output has element type {type}; expected int64, int32 or float."),
        };
    }

    private static void ClearPadding(PreparedBatch batch)
    {
        // Fixed-batch models run the whole tensor; unused slots must not carry a previous batch's images.
        batch.Tensor.AsSpan(batch.Count * batch.ImageFloats).Clear();
    }

    private ImageDetections[] RunAndDecode(PreparedBatch batch)
    {
        using var outputs = Run(batch);
        return Postprocess(outputs, batch);
    }

    private async Task ProduceAsync(
        IAsyncEnumerable<ImageInput> images, int capacity, ChannelWriter<PreparedBatch> writer, ConcurrentBag<PreparedBatch> free, CancellationToken ct)
    {
        try
        {
            var pending = new List<ImageInput>(capacity);
            await foreach (var image in images.WithCancellation(ct))
            {
                pending.Add(image);
                if (pending.Count == capacity)
                {
                    await writer.WriteAsync(Prepare(pending, capacity, free, ct), ct);
                    pending.Clear();
                }
            }

            if (pending.Count > 0)
            {
                await writer.WriteAsync(Prepare(pending, capacity, free, ct), ct);
            }

            writer.Complete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }

    private PreparedBatch Prepare(List<ImageInput> inputs, int capacity, ConcurrentBag<PreparedBatch> free, CancellationToken ct)
    {
        var batch = free.TryTake(out var reused) ? reused : NewBatch(capacity);
        var (w, h) = (Info.InputWidth, Info.InputHeight);
        batch.Count = inputs.Count;
        Parallelism.For(inputs.Count, PreprocessThreads, ct, i =>
        {
            using var image = Decode(inputs[i]);
            var t = LetterboxTransform.Compute(image.Width, image.Height, w, h);
            Letterbox.Apply(image.Pixels, image.RowBytes, in t, batch.ImageSlice(i));
            batch.Transforms[i] = t;
            batch.Keys[i] = inputs[i].Key;
        });
        ClearPadding(batch);
        return batch;
    }
}
