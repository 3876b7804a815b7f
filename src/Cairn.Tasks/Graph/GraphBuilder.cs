using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Graph;

/// <summary>
/// Builds the workflow graph from tasks and their relations (the graph is not stored separately), for the whole workspace,
/// a project's lineage, a task's neighbourhood, or a focus node with a depth up- and downstream.
/// </summary>
public sealed class GraphBuilder(CairnStore store)
{
    /// <summary>A task with more file outputs than this outside any folder gets them folded into one folder node.</summary>
    public const int FoldThreshold = 6;

    /// <summary>The whole workspace: every project, and every task with its inputs and outputs.</summary>
    public WorkflowGraph Workspace()
    {
        // Every version, not only those tasks recorded: a manual version nobody has read is still part of the lineage.
        var (tasks, relations, projects, versions, files, models, evaluations) = new TaskRecords(store).Workflow();

        var nodes = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
        var edges = new List<GraphEdge>();
        var edgeKeys = new HashSet<(string, string)>();

        void AddEdge(string from, string to, string kind)
        {
            if (edgeKeys.Add((from, to)))
            {
                edges.Add(new GraphEdge(from, to, kind));
            }
        }

        foreach (var p in projects.Values)
        {
            nodes[ProjectId(p.Id)] = new GraphNode(ProjectId(p.Id), NodeKinds.Project, p.Name, p.Description, NodeStyle.Icon(NodeKinds.Project), NodeStyle.KindColor(NodeKinds.Project), null, $"/projects/{p.Id}", RefId: p.Id);
        }

        string VersionNode(long vid)
        {
            var v = versions[vid];
            var id = "version:" + vid.ToString(CultureInfo.InvariantCulture);
            var pname = projects.TryGetValue(v.ProjectId, out var vp) ? vp.Name : relations.FirstOrDefault(r => r.NodeKind == NodeKinds.Version && r.RefId == vid)?.Title?.Split('@')[0] ?? "?";
            if (nodes.TryAdd(id, new GraphNode(id, NodeKinds.Version, $"{pname}@{v.Number}", v.Description, NodeStyle.Icon(NodeKinds.Version), NodeStyle.KindColor(NodeKinds.Version), null, $"/projects/{v.ProjectId}/versions/{v.Number}", RefId: vid, Subtitle: v.Title, Author: v.Author))
                && nodes.ContainsKey(ProjectId(v.ProjectId)))
            {
                AddEdge(ProjectId(v.ProjectId), id, "version");
            }

            return id;
        }

        foreach (var v in versions.Values.Where(v => projects.ContainsKey(v.ProjectId)))
        {
            VersionNode(v.Id);
        }

        // A restored project comes from the version it was restored from.
        foreach (var p in projects.Values.Where(p => p.OriginVersionId is { } o && versions.ContainsKey(o)))
        {
            AddEdge(VersionNode(p.OriginVersionId!.Value), ProjectId(p.Id), "restore");
        }

        foreach (var t in tasks)
        {
            var node = t.NodeJson is null ? null : JsonNode.Parse(t.NodeJson);
            var id = TaskId(t.Id);
            nodes[id] = new GraphNode(
                id,
                NodeKinds.Task,
                t.Title,
                t.Description,
                node?["icon"]?.GetValue<string>() ?? NodeStyle.Icon(NodeKinds.Task),
                node?["color"]?.GetValue<string>() ?? NodeStyle.StatusColor(t.Status),
                t.Status,
                node?["link"]?.GetValue<string>() ?? $"/tasks/{t.Id}",
                RefId: t.Id,
                Subtitle: t.Kind,
                Progress: t.Progress,
                Author: t.Author);
        }

        // Folders first, so files under a folder's path fold into it.
        var folders = new Dictionary<long, List<(string Path, string Id)>>();
        foreach (var r in relations.Where(r => r.NodeKind == NodeKinds.Folder && r.RefPath is not null))
        {
            var id = "folder:" + r.RefPath!.TrimEnd('/');
            nodes.TryAdd(id, new GraphNode(id, NodeKinds.Folder, r.Title ?? Path.GetFileName(r.RefPath.TrimEnd('/')), r.RefPath, NodeStyle.Icon(NodeKinds.Folder), NodeStyle.KindColor(NodeKinds.Folder), null, null, RefId: null));
            if (!folders.TryGetValue(r.TaskId, out var list))
            {
                folders[r.TaskId] = list = [];
            }

            list.Add((r.RefPath.TrimEnd('/') + "/", id));
        }

        var looseFiles = relations.Where(r => r.NodeKind == NodeKinds.File && r.Direction == "output")
            .GroupBy(r => r.TaskId)
            .Where(g => g.Count(r => !InFolder(folders, r)) > FoldThreshold)
            .ToDictionary(g => g.Key, g => g.Count(r => !InFolder(folders, r)));

        foreach (var r in relations)
        {
            var task = TaskId(r.TaskId);
            if (!nodes.ContainsKey(task))
            {
                continue;
            }

            string? nodeId = null;
            string? parent = null;
            switch (r.NodeKind)
            {
                case NodeKinds.Project when r.RefId is { } pid && projects.ContainsKey(pid):
                    nodeId = ProjectId(pid);
                    break;
                case NodeKinds.Version when r.RefId is { } vid && versions.ContainsKey(vid):
                    nodeId = VersionNode(vid);
                    break;
                case NodeKinds.Dataset when r.RefId is { } dpid && r.RefPath is not null:
                    nodeId = $"dataset:{dpid}:{r.RefPath}";
                    nodes.TryAdd(nodeId, new GraphNode(nodeId, NodeKinds.Dataset, r.Title ?? r.RefPath, null, NodeStyle.Icon(NodeKinds.Dataset), NodeStyle.KindColor(NodeKinds.Dataset), null, $"/projects/{dpid}", RefId: dpid));
                    break;
                case NodeKinds.Task when r.RefId is { } tid && nodes.ContainsKey(TaskId(tid)):
                    nodeId = TaskId(tid);
                    break;
                case NodeKinds.Folder when r.RefPath is not null:
                    nodeId = "folder:" + r.RefPath.TrimEnd('/');
                    break;
                case NodeKinds.File when r.RefId is { } fid && files.TryGetValue(fid, out var f):
                    nodeId = "file:" + fid.ToString(CultureInfo.InvariantCulture);
                    parent = r.Direction == "output" ? FolderOf(folders, r) : null;
                    if (parent is null && r.Direction == "output" && looseFiles.TryGetValue(r.TaskId, out var n))
                    {
                        parent = $"folder:task-{r.TaskId}";
                        nodes.TryAdd(parent, new GraphNode(parent, NodeKinds.Folder, $"{n} files", $"Files written by task {r.TaskId}", NodeStyle.Icon(NodeKinds.Folder), NodeStyle.KindColor(NodeKinds.Folder), null, null));
                        AddEdge(task, parent, "output");
                    }

                    nodes.TryAdd(nodeId, new GraphNode(nodeId, NodeKinds.File, Path.GetFileName(f.Path), f.Path, NodeStyle.Icon(NodeKinds.File), NodeStyle.KindColor(NodeKinds.File), null, $"/files/{fid}", parent, fid, f.Kind));
                    break;
                case NodeKinds.Model when r.RefId is { } mid && models.TryGetValue(mid, out var m):
                    nodeId = "model:" + mid.ToString(CultureInfo.InvariantCulture);
                    nodes.TryAdd(nodeId, new GraphNode(nodeId, NodeKinds.Model, m.Name, m.Description, NodeStyle.Icon(NodeKinds.Model), NodeStyle.KindColor(NodeKinds.Model), null, $"/models/{mid}", RefId: mid));
                    break;
                case NodeKinds.Evaluation when r.RefId is { } eid && evaluations.TryGetValue(eid, out var ev):
                    nodeId = "evaluation:" + eid.ToString(CultureInfo.InvariantCulture);
                    nodes.TryAdd(nodeId, new GraphNode(nodeId, NodeKinds.Evaluation, ev.Title, null, NodeStyle.Icon(NodeKinds.Evaluation), NodeStyle.KindColor(NodeKinds.Evaluation), null, $"/evaluations/{eid}", RefId: eid, Subtitle: $"mAP {ev.MapAll:0.000}"));
                    break;
            }

            if (nodeId is null)
            {
                continue;
            }

            if (parent is not null)
            {
                AddEdge(parent, nodeId, "contains");
            }
            else if (r.Direction == "input")
            {
                AddEdge(nodeId, task, "input");
            }
            else
            {
                AddEdge(task, nodeId, "output");
            }
        }

        return new WorkflowGraph(nodes.Values.ToList(), edges);
    }

    /// <summary>A project's lineage: everything upstream and downstream of the project and its versions.</summary>
    public WorkflowGraph Project(long projectId, int depth = int.MaxValue)
    {
        var g = Workspace();
        var seeds = g.Edges.Where(e => e.Kind == "version" && e.From == ProjectId(projectId)).Select(e => e.To).Append(ProjectId(projectId));
        var lineage = Around(g, seeds, depth);

        // A task downstream of the project is drawn with all its inputs: the model a benchmark of its version ran.
        var tasks = lineage.Nodes.Where(n => n.Kind == NodeKinds.Task).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var inputs = g.Edges.Where(e => e.Kind == "input" && tasks.Contains(e.To)).Select(e => e.From).ToHashSet(StringComparer.Ordinal);
        var keep = lineage.Nodes.Select(n => n.Id).Concat(inputs).ToHashSet(StringComparer.Ordinal);
        return new WorkflowGraph(
            g.Nodes.Where(n => keep.Contains(n.Id)).ToList(),
            g.Edges.Where(e => keep.Contains(e.From) && keep.Contains(e.To)).ToList());
    }

    /// <summary>A task with its inputs and outputs, and theirs (depth 2 each way by default).</summary>
    public WorkflowGraph Task(long taskId, int depth = 2) => Around(Workspace(), [TaskId(taskId)], depth);

    /// <summary>The nodes within <paramref name="depth"/> steps up- and downstream of <paramref name="seeds"/>, with the folders' files.</summary>
    public static WorkflowGraph Around(WorkflowGraph g, IEnumerable<string> seeds, int depth)
    {
        var down = g.Edges.ToLookup(e => e.From, e => e.To);
        var up = g.Edges.ToLookup(e => e.To, e => e.From);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var start = seeds.Where(s => g.Nodes.Any(n => n.Id == s)).ToList();
        Walk(start, down, depth, keep);
        Walk(start, up, depth, keep);
        // A folder in view brings its files along (folded), and a version in view its project.
        foreach (var n in g.Nodes)
        {
            if (n.Parent is not null && keep.Contains(n.Parent))
            {
                keep.Add(n.Id);
            }
        }

        foreach (var e in g.Edges.Where(e => e.Kind == "version" && keep.Contains(e.To)))
        {
            keep.Add(e.From);
        }

        return new WorkflowGraph(
            g.Nodes.Where(n => keep.Contains(n.Id)).ToList(),
            g.Edges.Where(e => keep.Contains(e.From) && keep.Contains(e.To)).ToList());
    }

    /// <summary>Keeps only nodes of the given kinds (and the edges between them).</summary>
    public static WorkflowGraph OfKinds(WorkflowGraph g, IReadOnlySet<string> kinds)
    {
        var nodes = g.Nodes.Where(n => kinds.Contains(n.Kind)).ToList();
        var ids = nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        return new WorkflowGraph(nodes, g.Edges.Where(e => ids.Contains(e.From) && ids.Contains(e.To)).ToList());
    }

    /// <summary>Sets the description (and optionally the title) of a node that has them: task, project, version, model. False otherwise.</summary>
    public bool Describe(string nodeId, string? description, string? title)
    {
        var colon = nodeId.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !long.TryParse(nodeId.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        return new TaskRecords(store).DescribeNode(nodeId[..colon], id, description, title);
    }

    private static void Walk(List<string> start, ILookup<string, string> next, int depth, HashSet<string> keep)
    {
        var frontier = start;
        var seen = new HashSet<string>(start, StringComparer.Ordinal);
        keep.UnionWith(start);
        for (var d = 0; d < depth && frontier.Count > 0; d++)
        {
            var nextFrontier = new List<string>();
            foreach (var n in frontier)
            {
                foreach (var m in next[n])
                {
                    if (seen.Add(m))
                    {
                        keep.Add(m);
                        nextFrontier.Add(m);
                    }
                }
            }

            frontier = nextFrontier;
        }
    }

    private static bool InFolder(Dictionary<long, List<(string Path, string Id)>> folders, TaskRelationRow r) => FolderOf(folders, r) is not null;

    private static string? FolderOf(Dictionary<long, List<(string Path, string Id)>> folders, TaskRelationRow r) =>
        r.RefPath is not null && folders.TryGetValue(r.TaskId, out var list)
            ? list.FirstOrDefault(f => r.RefPath.StartsWith(f.Path, StringComparison.Ordinal)).Id
            : null;

    private static string ProjectId(long id) => "project:" + id.ToString(CultureInfo.InvariantCulture);

    private static string TaskId(long id) => "task:" + id.ToString(CultureInfo.InvariantCulture);
}
