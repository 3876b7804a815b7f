namespace Cairn.Tasks;

/// <summary>An expected way for a task to fail (a command's non-zero exit, a bad input found while running); its message becomes the task's error as is.</summary>
public sealed class TaskFailedException(string message) : Exception(message);
