using System.Text.Json.Nodes;

namespace Cairn.Tasks;

/// <summary>What to run: the task kind, its parameters (a JSON object), how to show it, and who asked for it (recorded as its author).</summary>
public sealed record TaskRequest(string Kind, JsonObject Parameters, string? Title = null, string? Description = null, string? Author = null);
