using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cairn.Operations.Augment;

/// <summary>A step parameter: a fixed number (<c>15</c>) or a range sampled uniformly per image (<c>[-15, 15]</c>).</summary>
[JsonConverter(typeof(ParamRangeConverter))]
public readonly record struct ParamRange(double Min, double Max)
{
    /// <summary>A fixed value.</summary>
    public static implicit operator ParamRange(double value) => new(value, value);

    /// <summary>A fixed value.</summary>
    public static ParamRange FromDouble(double value) => new(value, value);

    /// <summary>True when the range is a single value.</summary>
    public bool IsFixed => Min == Max;

    /// <summary>The value for one image; a fixed value draws nothing from the generator.</summary>
    public double Sample(Xoshiro256 rng) => IsFixed ? Min : rng.NextDouble(Min, Max);
}

/// <summary>Reads a number or a two-element array; writes a number when fixed.</summary>
internal sealed class ParamRangeConverter : JsonConverter<ParamRange>
{
    public override ParamRange Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDouble();
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected a number or an array [min, max]");
        }

        reader.Read();
        var a = reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : throw new JsonException("expected a number as the range minimum");
        reader.Read();
        var b = reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : throw new JsonException("expected a number as the range maximum");
        reader.Read();
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("expected a range of exactly two numbers [min, max]");
        }

        if (b < a)
        {
            throw new JsonException($"range [{a}, {b}] has its maximum below its minimum");
        }

        return new ParamRange(a, b);
    }

    public override void Write(Utf8JsonWriter writer, ParamRange value, JsonSerializerOptions options)
    {
        if (value.IsFixed)
        {
            writer.WriteNumberValue(value.Min);
            return;
        }

        writer.WriteStartArray();
        writer.WriteNumberValue(value.Min);
        writer.WriteNumberValue(value.Max);
        writer.WriteEndArray();
    }
}
