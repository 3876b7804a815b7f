namespace Cairn.Storage.Tasks;

/// <summary>How a task's node looks on the graph; null fields keep their current value.</summary>
public sealed record NodeSettings(string? Title = null, string? Description = null, string? Icon = null, string? Color = null, string? Link = null);
