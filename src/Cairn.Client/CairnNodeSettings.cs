namespace Cairn.Client;

/// <summary>How the task's node looks on the graph; null fields keep their value. Colour is a CSS colour (#2e7d32).</summary>
public sealed record CairnNodeSettings(string? Title = null, string? Description = null, string? Icon = null, string? Color = null, string? Link = null);
