using System.Text;

namespace Cairn.Inference.Tests;

/// <summary>
/// Writes minimal ONNX files (protobuf by hand, field numbers from onnx/onnx.proto) whose outputs are constants, so
/// layouts that no shipped model has can be run through a real ONNX Runtime session.
/// </summary>
internal static class TinyOnnx
{
    public const int Float = 1;
    public const int Int64 = 7;

    /// <summary>An output: name, element type, declared shape (null entries are symbolic), and its constant value.</summary>
    public sealed record Output(string Name, int ElementType, long?[] DeclaredShape, long[] Shape, byte[] Data);

    public static Output FloatOutput(string name, long[] shape, float[] values, long?[]? declared = null) =>
        new(name, Float, declared ?? shape.Select(d => (long?)d).ToArray(), shape, values.SelectMany(BitConverter.GetBytes).ToArray());

    public static Output Int64Output(string name, long[] shape, long[] values, long?[]? declared = null) =>
        new(name, Int64, declared ?? shape.Select(d => (long?)d).ToArray(), shape, values.SelectMany(BitConverter.GetBytes).ToArray());

    /// <summary>A model with one image input [1, 3, size, size] (unused) and constant outputs; returns the file path.</summary>
    public static string Write(string path, int inputSize, IReadOnlyList<Output> outputs, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var graph = new Proto();
        foreach (var o in outputs)
        {
            var tensor = new Proto();
            foreach (var d in o.Shape)
            {
                tensor.Varint(1, (ulong)d);
            }

            tensor.Varint(2, (ulong)o.ElementType).Bytes(9, o.Data);
            var attribute = new Proto().String(1, "value").Varint(20, 4).Message(5, tensor);
            graph.Message(1, new Proto().String(2, o.Name).String(3, "const_" + o.Name).String(4, "Constant").Message(5, attribute));
        }

        graph.String(2, "tiny");
        graph.Message(11, ValueInfo("images", Float, [1, 3, inputSize, inputSize]));
        foreach (var o in outputs)
        {
            graph.Message(12, ValueInfo(o.Name, o.ElementType, o.DeclaredShape));
        }

        var model = new Proto().Varint(1, 8).String(2, "cairn-tests").Message(7, graph).Message(8, new Proto().String(1, "").Varint(2, 13));
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            model.Message(14, new Proto().String(1, key).String(2, value));
        }

        File.WriteAllBytes(path, model.ToArray());
        return path;
    }

    private static Proto ValueInfo(string name, int elementType, long?[] shape)
    {
        var dims = new Proto();
        foreach (var d in shape)
        {
            dims.Message(1, d is long v ? new Proto().Varint(1, (ulong)v) : new Proto().String(2, "n"));
        }

        var tensorType = new Proto().Varint(1, (ulong)elementType).Message(2, dims);
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensorType));
    }

    private sealed class Proto
    {
        private readonly MemoryStream _buffer = new();

        public Proto Varint(int field, ulong value)
        {
            Key(field, 0);
            Raw(value);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto value) => Bytes(field, value.ToArray());

        public Proto Bytes(int field, byte[] value)
        {
            Key(field, 2);
            Raw((ulong)value.Length);
            _buffer.Write(value);
            return this;
        }

        public byte[] ToArray() => _buffer.ToArray();

        private void Key(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _buffer.WriteByte((byte)value);
        }
    }
}
