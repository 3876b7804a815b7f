namespace Cairn.Storage.Maintenance;

/// <summary>Thrown by gc when a version tree cannot be read: collecting then could delete what that tree needs.</summary>
public sealed class UnreadableTreeException(string message, Exception inner) : Exception(message, inner);
