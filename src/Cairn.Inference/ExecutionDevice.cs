namespace Cairn.Inference;

/// <summary>Where ONNX Runtime runs the model.</summary>
public enum ExecutionDevice
{
    /// <summary>CUDA when the installed runtime offers it, otherwise the CPU.</summary>
    Auto,

    /// <summary>The CPU execution provider.</summary>
    Cpu,

    /// <summary>The CUDA execution provider; loading fails when the installed runtime lacks it.</summary>
    Cuda,
}
