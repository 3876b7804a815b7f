namespace Cairn.Storage.Tasks;

/// <summary>A task request with an unknown kind or bad parameters; the message says which parameter and what was expected.</summary>
public sealed class TaskValidationException(string message) : Exception(message);
