namespace Cairn.Server.Pages;

/// <summary>
/// An operation form as the server sends it back after refusing it: the posted fields (form name → value), the parameter
/// path the message names (<c>pipeline.steps[1].p</c>; null when it names none) and the message.
/// </summary>
public sealed record OperationFormState(string Kind, IReadOnlyDictionary<string, string> Values, string? Field, string Message);
