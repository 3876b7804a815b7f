namespace Cairn.Evaluation.Coco.Internal;

/// <summary>A JSON path built only when an error needs it, so the hot read loop formats no strings.</summary>
internal readonly struct JsonLoc(string prefix, int index = -1, string key = "", int sub = -1)
{
    public static JsonLoc Root => new("$");

    public JsonLoc At(int i) => new(prefix, i);

    public JsonLoc Key(string k) => new(prefix, index, key + k, sub);

    public JsonLoc Sub(int i) => new(prefix, index, key, i);

    public override string ToString() =>
        prefix + (index >= 0 ? $"[{index}]" : string.Empty) + key + (sub >= 0 ? $"[{sub}]" : string.Empty);
}
