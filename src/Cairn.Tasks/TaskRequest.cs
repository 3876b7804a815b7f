using System.Text.Json.Nodes;

namespace Cairn.Tasks;

/// <summary>What to run: the task kind, its parameters (a JSON object) and how to show it.</summary>
public sealed record TaskRequest(string Kind, JsonObject Parameters, string? Title = null, string? Description = null);
