using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Core.Model;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Augment;

/// <summary>
/// A validated augment pipeline. Every output image gets its own generator seeded from the pipeline seed, the
/// item key and the output index, so the results do not depend on order or threads.
/// </summary>
public sealed class AugmentPipeline
{
    /// <summary>The JSON options of pipeline documents (camelCase, comments and trailing commas allowed).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        AllowOutOfOrderMetadataProperties = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>Creates a pipeline; throws <see cref="ArgumentException"/> naming the step and parameter when the spec is invalid.</summary>
    public AugmentPipeline(AugmentSpec spec, ProjectMeta? meta = null)
    {
        var error = Check(spec);
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(spec));
        }

        Spec = spec;
        Meta = meta;
    }

    /// <summary>The spec.</summary>
    public AugmentSpec Spec { get; }

    /// <summary>The project meta (keypoint templates), or null.</summary>
    public ProjectMeta? Meta { get; }

    /// <summary>Parses and validates a pipeline document; <paramref name="source"/> names it in errors (file name or "request body").</summary>
    public static AugmentPipeline FromJson(string json, string source = "pipeline", ProjectMeta? meta = null)
    {
        AugmentSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<AugmentSpec>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: line {(e.LineNumber ?? 0) + 1}, {e.Path ?? "$"}: {Describe(e)}", e);
        }

        if (spec is null)
        {
            throw new FormatException($"{source}: expected a pipeline object, found null");
        }

        var error = Check(spec);
        return error is null ? new AugmentPipeline(spec, meta) : throw new FormatException($"{source}: {error}");
    }

    /// <summary>Serialises the spec back to its JSON document.</summary>
    public string ToJson() => JsonSerializer.Serialize(Spec, JsonOptions);

    /// <summary>Runs the steps for output <paramref name="index"/> of item <paramref name="key"/> on an already decoded image (not modified).</summary>
    public (RgbaImage Image, Annotation Annotation) Apply(RgbaImage source, Annotation annotation, string key, int index, MosaicSource? mosaic = null)
    {
        var rng = new Xoshiro256(Xoshiro256.DeriveSeed(Spec.Seed, key, index));
        using var context = new AugmentContext(source, annotation, rng, Spec.MinVisible, Meta, mosaic);
        foreach (var step in Spec.Steps)
        {
            if (rng.Chance(step.P))
            {
                step.Apply(context);
            }
        }

        return context.Finish();
    }

    /// <summary>Decodes the input once and makes its <see cref="AugmentSpec.OutputsPerImage"/> encoded outputs.</summary>
    public List<AugmentOutput> Run(AugmentInput input, MosaicSource? mosaic = null)
    {
        using var source = ImageCodec.Decode(input.Image.Span, input.Key);
        var outputs = new List<AugmentOutput>(Spec.OutputsPerImage);
        for (var i = 0; i < Spec.OutputsPerImage; i++)
        {
            var (image, annotation) = Apply(source, input.Annotation, input.Key, i, mosaic);
            using (image)
            {
                var bytes = ImageCodec.Encode(image, Spec.Output.Format, Spec.Output.Quality);
                outputs.Add(new AugmentOutput(input.Key, i, bytes, Spec.Output.Format, annotation) { Tag = input.Tag });
            }
        }

        return outputs;
    }

    private static string? Check(AugmentSpec spec)
    {
        if (spec.Version != 1)
        {
            return $"$.version: version {spec.Version} is not supported, expected 1";
        }

        if (spec.OutputsPerImage is < 1 or > 1000)
        {
            return $"$.outputsPerImage: {spec.OutputsPerImage} is outside 1..1000";
        }

        if (spec.MinVisible is < 0 or > 1)
        {
            return $"$.minVisible: {spec.MinVisible} is outside [0, 1]";
        }

        if (spec.Output.Quality is < 1 or > 100)
        {
            return $"$.output.quality: {spec.Output.Quality} is outside 1..100";
        }

        for (var i = 0; i < spec.Steps.Count; i++)
        {
            if (spec.Steps[i] is null)
            {
                return $"$.steps[{i}]: expected a step object, found null";
            }

            var error = spec.Steps[i].Validate();
            if (error is not null)
            {
                // A step names its parameter first ("p: …"), so the path reaches the field: "$.steps[1].p: …".
                return $"$.steps[{i}].{error}";
            }
        }

        return null;
    }

    private static string Describe(JsonException e)
    {
        var m = e.Message;
        if (m.Contains("type discriminator", StringComparison.OrdinalIgnoreCase) || m.Contains("derived type", StringComparison.OrdinalIgnoreCase))
        {
            return "unknown or missing \"op\"; expected one of hflip, vflip, rotate, crop, randomCrop, resize, scale, translate, gaussianNoise, saltPepper, gaussianBlur, motionBlur, brightness, contrast, hue, saturation, grayscale, cutout, mosaic";
        }

        var cut = m.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? m[..cut] : m;
    }
}
