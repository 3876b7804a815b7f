using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Graph;

/// <summary>Text exports of a workflow graph that need no layout: JSON, Graphviz DOT, Mermaid.</summary>
public static class GraphExport
{
    /// <summary>camelCase, nulls omitted: <c>{"nodes": [{"id","kind","title",...}], "edges": [{"from","to","kind"}]}</c>.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    /// <summary>The graph as JSON.</summary>
    public static string Json(WorkflowGraph g) => JsonSerializer.Serialize(g, JsonOptions);

    /// <summary>The graph as Graphviz DOT, left to right, with kind shapes, status colours and URLs.</summary>
    public static string Dot(WorkflowGraph g)
    {
        var sb = new StringBuilder("digraph cairn {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11, style=\"rounded,filled\", fillcolor=\"#ffffff\"];\n  edge [color=\"#8a94a6\"];\n");
        foreach (var n in g.Nodes)
        {
            var shape = n.Kind switch
            {
                NodeKinds.Task => "box",
                NodeKinds.Version => "note",
                NodeKinds.Folder => "folder",
                NodeKinds.File => "component",
                NodeKinds.Model => "box3d",
                NodeKinds.Evaluation => "hexagon",
                _ => "box",
            };
            var label = (n.Kind == NodeKinds.Task ? $"{n.Title}\\n{n.Subtitle} · {n.Status}" : $"{n.Title}\\n{n.Kind}") + (n.Author is null ? string.Empty : $"\\nby {n.Author}");
            sb.Append($"  {DotId(n.Id)} [label={DotString(label, keepNewlines: true)}, shape={shape}, color=\"{n.Color}\"");
            if (n.Link is not null)
            {
                sb.Append($", URL={DotString(n.Link)}");
            }

            sb.Append("];\n");
        }

        foreach (var e in g.Edges)
        {
            sb.Append($"  {DotId(e.From)} -> {DotId(e.To)}");
            sb.Append(e.Kind switch { "version" => " [style=dashed]", "contains" => " [style=dotted]", _ => string.Empty });
            sb.Append(";\n");
        }

        return sb.Append("}\n").ToString();
    }

    /// <summary>The graph as a Mermaid flowchart (left to right), with click links and a class per kind and status.</summary>
    public static string Mermaid(WorkflowGraph g)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var sb = new StringBuilder("flowchart LR\n");
        foreach (var n in g.Nodes)
        {
            var id = ids[n.Id] = "n" + ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var text = MermaidText(n.Kind == NodeKinds.Task ? $"{n.Title} ({n.Status})" : n.Title);
            var (open, close) = n.Kind switch
            {
                NodeKinds.Task => ("[", "]"),
                NodeKinds.Project => ("[(", ")]"),
                NodeKinds.Version => ("[/", "/]"),
                NodeKinds.Folder => ("[[", "]]"),
                NodeKinds.Model => ("{{", "}}"),
                NodeKinds.Evaluation => ("([", "])"),
                _ => ("(", ")"),
            };
            sb.Append($"  {id}{open}\"{text}\"{close}\n");
            sb.Append($"  class {id} {n.Kind}{(n.Status is null ? string.Empty : "_" + n.Status)}\n");
            if (n.Link is not null)
            {
                sb.Append($"  click {id} \"{MermaidText(n.Link)}\"\n");
            }
        }

        foreach (var e in g.Edges)
        {
            sb.Append($"  {ids[e.From]} {(e.Kind is "version" or "contains" ? "-.->" : "-->")} {ids[e.To]}\n");
        }

        foreach (var status in new[] { TaskStates.Queued, TaskStates.Running, TaskStates.Succeeded, TaskStates.Failed, TaskStates.Cancelled })
        {
            sb.Append($"  classDef task_{status} stroke:{NodeStyle.StatusColor(status)},stroke-width:2px\n");
        }

        return sb.ToString();
    }

    private static string DotId(string id) => DotString(id);

    private static string DotString(string s, bool keepNewlines = false)
    {
        var escaped = s.Replace("\\", keepNewlines ? "\\" : "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return "\"" + escaped + "\"";
    }

    private static string MermaidText(string s) => s.Replace("\"", "#quot;", StringComparison.Ordinal);
}
