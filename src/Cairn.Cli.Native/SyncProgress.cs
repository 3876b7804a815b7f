namespace Cairn.Cli.Native;

/// <summary>
/// Reports on the caller's thread, at once (<see cref="Progress{T}"/> posts to the thread pool, so a bar would lag
/// behind the work and could draw after it finished).
/// </summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
