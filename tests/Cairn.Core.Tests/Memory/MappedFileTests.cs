using System.Diagnostics;
using System.Runtime.InteropServices;
using Cairn.Core.Memory;

namespace Cairn.Core.Tests.Memory;

public sealed class MappedFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cairn-mapped-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_large_file_is_mapped_and_reads_as_its_bytes()
    {
        var path = Path.Combine(_dir, "big.bin");
        var bytes = new byte[(3 << 20) + 123];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var read = MappedFile.Read(path, minLength: 1 << 20);

        Assert.False(MemoryMarshal.TryGetArray(read, out _)); // a mapping, not an array
        Assert.True(MemoryMarshal.TryGetMemoryManager(read, out MappedFile? _));
        Assert.True(read.Span.SequenceEqual(bytes));
        Assert.True(read.Slice(4097, 100).Span.SequenceEqual(bytes.AsSpan(4097, 100)));
    }

    [Fact]
    public void A_small_or_empty_file_is_read_into_an_array()
    {
        var small = Path.Combine(_dir, "small.bin");
        File.WriteAllBytes(small, [1, 2, 3]);
        var empty = Path.Combine(_dir, "empty.bin");
        File.WriteAllBytes(empty, []);

        var read = MappedFile.Read(small, minLength: 1 << 20);
        Assert.True(MemoryMarshal.TryGetArray(read, out _));
        Assert.Equal([1, 2, 3], read.ToArray());
        Assert.Equal(0, MappedFile.Read(empty, minLength: 0).Length); // an empty file cannot be mapped; it reads as nothing
    }

    [Fact]
    public void A_missing_file_throws_as_reading_it_would()
    {
        Assert.Throws<FileNotFoundException>(() => MappedFile.Read(Path.Combine(_dir, "nope.json")));
    }

    [Theory]
    [InlineData(1_000)] // the writer may be done and gone before the reader reads
    [InlineData(300_000)] // more than a pipe holds: the writer waits for the reader
    public async Task A_fifo_is_read_to_its_end_through_the_one_handle_opened(int size)
    {
        // `cairn eval --dt some.fifo`: a FIFO is read through the handle that met its writer (opening it again, as an
        // earlier version did, waits forever for a writer once the first has closed, as `open` on a FIFO does).
        var fifo = Path.Combine(_dir, "results.fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var payload = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();
        var writer = Task.Run(() => File.WriteAllBytes(fifo, payload));
        var read = await Task.Run(() => MappedFile.Read(fifo, minLength: 0)).WaitAsync(TimeSpan.FromSeconds(20));
        await writer.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(payload, read.ToArray());
    }

    [Fact]
    public void The_mapping_outlives_its_reader_while_a_slice_is_held()
    {
        var path = Path.Combine(_dir, "kept.bin");
        var bytes = new byte[2 << 20];
        new Random(3).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var slice = SliceOf(path);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.True(slice.Span.SequenceEqual(bytes.AsSpan(1 << 20, 1000)));
    }

    private static ReadOnlyMemory<byte> SliceOf(string path) => MappedFile.Read(path, minLength: 0).Slice(1 << 20, 1000);
}
