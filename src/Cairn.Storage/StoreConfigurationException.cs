namespace Cairn.Storage;

/// <summary>Why a home's object store cannot be opened as asked.</summary>
public enum StoreProblem
{
    /// <summary>The home records one object store (in <see cref="CairnStore.StoreFile"/>) and another was asked for.</summary>
    RecordedStoreNotAsked,

    /// <summary>The home already holds data in its own folder and an S3 store was asked for; a home cannot switch stores.</summary>
    LocalCannotSwitch,

    /// <summary>The text asked for (<see cref="StoreConfigurationException.RecordedIn"/> null) or recorded is not a store location.</summary>
    NotAStoreLocation,
}

/// <summary>A home's object store cannot be opened as asked; the data says why, and fronts word the remedy with their own flags.</summary>
public sealed class StoreConfigurationException(StoreProblem problem, string message, string? recordedIn = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What is wrong.</summary>
    public StoreProblem Problem { get; } = problem;

    /// <summary>The file the home records its store in, where that file is the subject; null when the problem is the store asked for.</summary>
    public string? RecordedIn { get; } = recordedIn;
}
