using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cairn.Core.Formats.Internal;

/// <summary>
/// A JSON value of an input file with its JSON path, built lazily (only an error pays for the text). Accessors check the
/// type and throw <see cref="DatasetFormatException"/> naming the file, the path and what was expected.
/// </summary>
internal readonly struct JNode
{
    private readonly JPath _path;

    public JNode(JsonElement element, string file)
        : this(element, file, new JPath(null, null, -1))
    {
    }

    /// <summary>A value found under a top-level property of the file (<c>$.name</c>).</summary>
    public static JNode TopLevel(JsonElement element, string file, string name) => new(element, file, new JPath(new JPath(null, null, -1), name, -1));

    private JNode(JsonElement element, string file, JPath path)
    {
        Element = element;
        File = file;
        _path = path;
    }

    public JsonElement Element { get; }

    public string File { get; }

    public JsonValueKind Kind => Element.ValueKind;

    public string Path => _path.ToString();

    public DatasetFormatException Error(string message) => new(File, Path, message);

    public DatasetFormatException Expected(string what) => Error($"expected {what}, found {Found()}");

    public JNode Required(string name)
    {
        RequireKind(JsonValueKind.Object, "an object");
        return Element.TryGetProperty(name, out var v)
            ? new JNode(v, File, new JPath(_path, name, -1))
            : throw Error($"missing required property '{name}'");
    }

    /// <summary>A child already found by the caller (one pass over an object's properties), with its path.</summary>
    public JNode Child(string name, JsonElement value) => new(value, File, new JPath(_path, name, -1));

    public bool TryGet(string name, out JNode node)
    {
        RequireKind(JsonValueKind.Object, "an object");
        if (Element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null)
        {
            node = new JNode(v, File, new JPath(_path, name, -1));
            return true;
        }

        node = default;
        return false;
    }

    public int Length
    {
        get
        {
            RequireKind(JsonValueKind.Array, "an array");
            return Element.GetArrayLength();
        }
    }

    public JNode this[int index] => new(Element[index], File, new JPath(_path, null, index));

    public IEnumerable<JNode> Items()
    {
        RequireKind(JsonValueKind.Array, "an array");
        var i = 0;
        foreach (var e in Element.EnumerateArray())
        {
            yield return new JNode(e, File, new JPath(_path, null, i++));
        }
    }

    public IEnumerable<(string Name, JNode Value)> Properties()
    {
        RequireKind(JsonValueKind.Object, "an object");
        foreach (var p in Element.EnumerateObject())
        {
            yield return (p.Name, new JNode(p.Value, File, new JPath(_path, p.Name, -1)));
        }
    }

    public double Double()
    {
        if (Element.ValueKind == JsonValueKind.Number && Element.TryGetDouble(out var d) && double.IsFinite(d))
        {
            return d;
        }

        throw Expected("a finite number");
    }

    public long Long()
    {
        if (Element.ValueKind == JsonValueKind.Number)
        {
            if (Element.TryGetInt64(out var l))
            {
                return l;
            }

            // Some tools write integral ids as 12.0.
            if (Element.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15)
            {
                return (long)d;
            }
        }

        throw Expected("an integer");
    }

    public int Int()
    {
        var l = Long();
        return l is >= int.MinValue and <= int.MaxValue ? (int)l : throw Expected("an integer of 32 bits");
    }

    public string String() => Element.ValueKind == JsonValueKind.String ? Element.GetString()! : throw Expected("a string");

    public bool Bool() => Element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when Element.TryGetInt32(out var i) && i is 0 or 1 => i == 1,
        _ => throw Expected("true or false"),
    };

    /// <summary>A number or string as invariant text (tag values).</summary>
    public string? ScalarText() => Element.ValueKind switch
    {
        JsonValueKind.String => Element.GetString(),
        JsonValueKind.Number => Element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => null,
        _ => throw Expected("a string, a number or null"),
    };

    /// <summary>An array of numbers.</summary>
    public double[] Doubles()
    {
        var n = Length;
        var result = new double[n];
        var i = 0;
        foreach (var e in Element.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var d) || !double.IsFinite(d))
            {
                throw this[i].Expected("a finite number");
            }

            result[i++] = d;
        }

        return result;
    }

    private void RequireKind(JsonValueKind kind, string what)
    {
        if (Element.ValueKind != kind)
        {
            throw Expected(what);
        }
    }

    private string Found()
    {
        var kind = JsonInput.Describe(Element.ValueKind);
        if (Element.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            var raw = Element.GetRawText();
            return raw.Length > 40 ? $"{kind} {raw[..40]}…" : $"{kind} {raw}";
        }

        return kind;
    }

    private sealed class JPath(JPath? parent, string? name, int index)
    {
        public override string ToString()
        {
            var parts = new Stack<JPath>();
            for (var p = this; p is not null; p = p.Parent)
            {
                parts.Push(p);
            }

            var sb = new StringBuilder();
            foreach (var p in parts)
            {
                if (p.Parent is null)
                {
                    sb.Append('$');
                }
                else if (p.Name is not null)
                {
                    sb.Append(IsIdentifier(p.Name) ? "." + p.Name : $"['{p.Name}']");
                }
                else
                {
                    sb.Append('[').Append(p.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                }
            }

            return sb.ToString();
        }

        private JPath? Parent { get; } = parent;

        private string? Name { get; } = name;

        private int Index { get; } = index;

        private static bool IsIdentifier(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }
}
