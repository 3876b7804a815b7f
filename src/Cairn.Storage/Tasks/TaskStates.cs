namespace Cairn.Storage.Tasks;

/// <summary>The statuses a task moves through: queued → running → succeeded | failed | cancelled.</summary>
public static class TaskStates
{
    /// <summary>Created, waiting for a worker.</summary>
    public const string Queued = "queued";

    /// <summary>A worker is running it.</summary>
    public const string Running = "running";

    /// <summary>Finished without error.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Stopped by an error; outputs were rolled back.</summary>
    public const string Failed = "failed";

    /// <summary>Stopped on request; outputs were rolled back.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>True for succeeded, failed and cancelled.</summary>
    public static bool IsFinal(string status) => status is Succeeded or Failed or Cancelled;
}
