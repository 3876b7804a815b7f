namespace Cairn.Evaluation.Reports;

/// <summary>The inference-speed section of a report, as data: the setting it was measured in and one row per batch size.</summary>
/// <param name="Setting">Plain text naming the device, runtime, threads and input size.</param>
/// <param name="Batches">Timings per batch size.</param>
public sealed record SpeedReport(string Setting, IReadOnlyList<SpeedReportBatch> Batches);
