using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace Cairn.Core.Memory;

/// <summary>
/// A file's bytes mapped read-only into the process, as <see cref="ReadOnlyMemory{T}"/>: the pages are the kernel's
/// page cache, so nothing is zeroed, copied or counted twice. On the 2-core VM Cairn is measured on, reading a 56 MB
/// results file into a fresh array cost ~0.17 s more than mapping it (fresh anonymous memory is zeroed page by page;
/// docs/benchmarks.md, issue 17).
/// </summary>
/// <remarks>
/// The mapping lives as long as anything holds memory from it (slices of it are kept, e.g. compressed masks of a
/// results file): its handles release it in their finalizers once no memory from it is reachable, never a caller,
/// so no slice outlives it. Code reading a span of it keeps the memory reachable meanwhile (GC.KeepAlive). A file
/// truncated by another process while mapped makes reads of the lost pages fail with SIGBUS, as with any mapped
/// file; Cairn maps only inputs it reads at once (evaluation results), not files it writes.
/// </remarks>
internal sealed unsafe class MappedFile : MemoryManager<byte>
{
    /// <summary>Files smaller than this are read into an array: mapping has a fixed cost that a small read does not.</summary>
    public const long DefaultMinLength = 1 << 20;

    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _pointer;
    private readonly int _length;

    private MappedFile(MemoryMappedViewAccessor view, int length)
    {
        _view = view;
        _length = length;
        // No AcquirePointer (a reference count only an explicit release would drop): the view's handle unmaps in its
        // own finalizer once this object, which every slice of the memory refers to, is unreachable.
        _pointer = (byte*)view.SafeMemoryMappedViewHandle.DangerousGetHandle() + view.PointerOffset;
    }

    /// <summary>
    /// A file's bytes: mapped when it is a regular file of at least <paramref name="minLength"/> bytes, otherwise (a
    /// small file, a pipe, a FIFO, a device) read into an array from the one handle opened (a FIFO opened twice
    /// would wait for a second writer). Throws what opening and reading the file throw.
    /// </summary>
    public static ReadOnlyMemory<byte> Read(string path, long minLength = DefaultMinLength)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        // A pipe cannot seek; /proc and device files report length 0: those are read to their end.
        var length = stream.CanSeek ? stream.Length : -1;
        if (length > Array.MaxLength)
        {
            throw new IOException($"{path}: {length:N0} bytes, more than the {Array.MaxLength:N0} one read can take");
        }

        if (length < Math.Max(1, minLength))
        {
            return ReadToEnd(stream, length);
        }

        try
        {
            // The view is the mapping: neither the file handle nor the mapping object is needed once it exists.
            using var file = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
            return new MappedFile(file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read), (int)length).Memory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not mappable after all (a file system without mmap): read it.
            stream.Position = 0;
            return ReadToEnd(stream, length);
        }
    }

    private static byte[] ReadToEnd(FileStream stream, long length)
    {
        if (length > 0)
        {
            var bytes = new byte[length];
            var n = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            return n == bytes.Length ? bytes : bytes[..n]; // shrunk meanwhile: what there was
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The bytes. Read-only: the mapping is, and writing through this span faults.</summary>
    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    /// <summary>Never called by Cairn (slices may be alive anywhere): the handles' finalizers release the mapping.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _view.Dispose();
        }
    }
}
