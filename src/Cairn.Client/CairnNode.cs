namespace Cairn.Client;

/// <summary>A node of the workflow graph to record as an input or output: kind, catalog id and/or path, title.</summary>
public sealed record CairnNode(string Kind, long? RefId = null, string? Path = null, string? Title = null)
{
    /// <summary>A project's working state.</summary>
    public static CairnNode Project(long id) => new("project", id);

    /// <summary>A project version (by its catalog id).</summary>
    public static CairnNode Version(long id) => new("version", id);

    /// <summary>A dataset of a project.</summary>
    public static CairnNode Dataset(long projectId, string path) => new("dataset", projectId, path);

    /// <summary>A workspace file already stored.</summary>
    public static CairnNode File(long id) => new("file", id);

    /// <summary>A folder of workspace files (files under this path fold into it on the graph).</summary>
    public static CairnNode Folder(string path, string? title = null) => new("folder", null, path, title);

    /// <summary>A registered model.</summary>
    public static CairnNode Model(long id) => new("model", id);

    /// <summary>An evaluation.</summary>
    public static CairnNode Evaluation(long id) => new("evaluation", id);

    /// <summary>Another task.</summary>
    public static CairnNode Task(long id) => new("task", id);
}
