namespace Cairn.Storage.Tasks;

/// <summary>The kinds of node of the workflow graph (and of task relations).</summary>
public static class NodeKinds
{
    /// <summary>A project's working state.</summary>
    public const string Project = "project";

    /// <summary>An immutable project version.</summary>
    public const string Version = "version";

    /// <summary>A dataset of a project (RefId = project id, RefPath = dataset path).</summary>
    public const string Dataset = "dataset";

    /// <summary>A task.</summary>
    public const string Task = "task";

    /// <summary>A workspace file.</summary>
    public const string File = "file";

    /// <summary>A folder of workspace files (RefPath = folder path).</summary>
    public const string Folder = "folder";

    /// <summary>A registered model.</summary>
    public const string Model = "model";

    /// <summary>An evaluation.</summary>
    public const string Evaluation = "evaluation";

    /// <summary>Every kind, in display order.</summary>
    public static IReadOnlyList<string> All { get; } = [Project, Version, Dataset, Task, File, Folder, Model, Evaluation];

    /// <summary>True when <paramref name="kind"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string kind) => All.Contains(kind);
}
