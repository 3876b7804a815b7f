using Cairn.Evaluation.Reports;
using Cairn.Inference;
using Cairn.Storage.Catalog;

namespace Cairn.Operations.Benchmarks;

/// <summary>What a benchmark produced: the evaluation row, its metrics, speed, and the report and metrics files.</summary>
public sealed record BenchmarkResult(EvaluationRow Evaluation, EvaluationMetrics Metrics, SpeedTestResult? Speed, FileRow Report, FileRow MetricsFile, TimeSpan Elapsed);
