using System.Text.Json.Serialization;

namespace Cairn.Evaluation.Reports.Internal;

/// <summary>
/// Compile-time serialization metadata for metrics.json, so `cairn eval --json` and report writing do not build
/// the reflection serializer for the whole metrics graph on every (cold) start. The settings match
/// <see cref="MetricsJson.Options"/>, which uses this as its type resolver.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(EvaluationMetrics))]
internal sealed partial class MetricsJsonContext : JsonSerializerContext;
