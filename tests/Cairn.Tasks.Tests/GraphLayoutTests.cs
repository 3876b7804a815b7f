using System.Diagnostics;
using System.Text.Json;
using Cairn.Tasks.Graph;
using Cairn.TestSupport;

namespace Cairn.Tasks.Tests;

/// <summary>
/// The export lays out with dagre (Jint cannot run WebAssembly), the web UI with Graphviz's dot: both run the same
/// graph-layout.js, and this pins what they must agree on — every node in the same rank (column, left to right).
/// The UI's side runs under node with the vendored Graphviz module, as chromium loads it.
/// </summary>
public sealed class GraphLayoutTests
{
    private const string DotScript = """
        import fs from 'fs';
        const [,, layoutJs, graphvizJs, inputJson] = process.argv;
        const { Graphviz } = await import(graphvizJs);
        const gv = await Graphviz.load();
        (0, eval)(fs.readFileSync(layoutJs, 'utf8') + ';globalThis.cairnLayout=cairnLayout;');
        const d = JSON.parse(fs.readFileSync(inputJson, 'utf8'));
        const l = cairnLayout(d.nodes, d.edges, d.w, d.h, gv);
        console.log(JSON.stringify(d.nodes.map(id => l.nodes.get(id).x)));
        """;

    [Fact]
    public void Export_and_web_ui_put_every_node_in_the_same_rank()
    {
        // The pipeline of the server's graph tests (import, augment, split, train with a checkpoint folder), a model
        // benchmarked on a version from the middle, and a second lineage, so components are stacked too.
        var g = Graph(
            "task:import>project:pipe", "task:import>version:pipe@1", "project:pipe>version:pipe@1",
            "version:pipe@1>task:augment", "task:augment>project:aug", "task:augment>version:aug@1", "project:aug>version:aug@1",
            "version:aug@1>task:split", "task:split>project:train", "task:split>project:val", "task:split>version:train@1",
            "task:split>version:val@1", "project:train>version:train@1", "project:val>version:val@1",
            "version:train@1>task:train", "task:train>folder:weights", "task:train>file:metrics.json", "task:train>model:best",
            "model:best>task:bench", "version:val@1>task:bench", "task:bench>evaluation:1",
            "task:import2>project:other", "task:import2>version:other@1", "project:other>version:other@1");

        var export = Ranks(GraphRenderer.Layout(g).Nodes.Select(p => p.X));
        var ui = Ranks(DotXs(g));

        Assert.Equal(13, export.Max() + 1); // import → project → version → … → bench → evaluation: something to compare

        Assert.Equal(
            g.Nodes.Select((n, i) => $"{n.Id}:{export[i]}"),
            g.Nodes.Select((n, i) => $"{n.Id}:{ui[i]}"));
    }

    private static WorkflowGraph Graph(params string[] edges)
    {
        var pairs = edges.Select(e => e.Split('>')).ToList();
        var ids = pairs.SelectMany(p => p).Distinct(StringComparer.Ordinal).ToList();
        var nodes = ids.Select(id => new GraphNode(id, id[..id.IndexOf(':', StringComparison.Ordinal)], id, null, "•", "#888888", null, null)).ToList();
        return new WorkflowGraph(nodes, pairs.Select(p => new GraphEdge(p[0], p[1], "output")).ToList());
    }

    /// <summary>Rank of each x: its index among the distinct columns (layouts put a rank's nodes at one x).</summary>
    private static int[] Ranks(IEnumerable<double> xs)
    {
        var list = xs.Select(x => Math.Round(x)).ToList();
        var columns = list.Distinct().Order().ToList();
        return [.. list.Select(x => columns.IndexOf(x))];
    }

    private static double[] DotXs(WorkflowGraph g)
    {
        var dir = Directory.CreateTempSubdirectory("cairn-layout").FullName;
        var script = Path.Combine(dir, "dot.mjs");
        var input = Path.Combine(dir, "graph.json");
        File.WriteAllText(script, DotScript);
        File.WriteAllText(input, JsonSerializer.Serialize(new
        {
            nodes = g.Nodes.Select(n => n.Id),
            edges = g.Edges.Select(e => new[] { e.From, e.To }),
            w = GraphRenderer.NodeWidth,
            h = GraphRenderer.NodeHeight,
        }));
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("CAIRN_NODE") ?? "node") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(Path.Combine(SharedData.RepoRoot, "src", "Cairn.Tasks", "Graph", "Layout", "graph-layout.js"));
        psi.ArgumentList.Add(new Uri(Path.Combine(SharedData.RepoRoot, "src", "Cairn.Server", "Static", "vendor", "graphviz.js")).AbsoluteUri);
        psi.ArgumentList.Add(input);
        using var node = Process.Start(psi) ?? throw new InvalidOperationException("node did not start: install nodejs or set CAIRN_NODE");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, $"node failed: {stderr}");
        return JsonSerializer.Deserialize<double[]>(stdout.Result)!;
    }
}
