namespace Cairn.Evaluation.Diagnostics;

/// <summary>A pair of different classes that the model mixes up: how often ground truth <see cref="Actual"/> was localised but called <see cref="Predicted"/>.</summary>
public sealed record ConfusedPair(string Actual, string Predicted, int Count, double ShareOfActual);
