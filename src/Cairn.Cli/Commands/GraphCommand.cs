using System.ComponentModel;
using System.Text.RegularExpressions;
using Cairn.Storage.Projects;
using Cairn.Tasks.Graph;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>`cairn graph &lt;project|task:ID|workspace&gt; --format json|dot|mermaid|svg|png [--out FILE]`: exports the workflow graph.</summary>
public sealed partial class GraphCommand : Command<GraphCommand.Settings>
{
    /// <summary>Options of graph.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>What to draw.</summary>
        [CommandArgument(0, "[scope]")]
        [Description("A project name (its lineage), task:ID (its inputs and outputs and theirs), or workspace (default)")]
        public string Scope { get; init; } = "workspace";

        /// <summary>Output format.</summary>
        [CommandOption("-f|--format <FORMAT>")]
        [Description("json (default), dot, mermaid, svg or png")]
        public string Format { get; init; } = "json";

        /// <summary>Output file.</summary>
        [CommandOption("-o|--out <FILE>")]
        [Description("Write to this file instead of stdout (png goes to stdout only when it is redirected: > graph.png)")]
        public string? Out { get; init; }

        /// <summary>Depth.</summary>
        [CommandOption("--depth <N>")]
        [Description("Steps up- and downstream to include (default: all for a project, 2 for a task)")]
        public int? Depth { get; init; }

        /// <summary>Kinds.</summary>
        [CommandOption("--kinds <LIST>")]
        [Description("Only these node kinds, comma-separated (project,version,dataset,task,file,folder,model,evaluation)")]
        public string? Kinds { get; init; }

        /// <summary>Expand folders.</summary>
        [CommandOption("--expand")]
        [Description("Draw every file instead of folding a task's files into folder nodes (svg, png, dot, mermaid)")]
        public bool Expand { get; init; }

        /// <summary>Base URL for links.</summary>
        [CommandOption("--base-url <URL>")]
        [Description("Server address to make SVG nodes clickable links (e.g. http://127.0.0.1:5180)")]
        public string? BaseUrl { get; init; }
    }

    /// <inheritdoc/>
    public override ValidationResult Validate(CommandContext context, Settings settings)
    {
        if (settings.Format is not ("json" or "dot" or "mermaid" or "svg" or "png"))
        {
            return ValidationResult.Error($"--format '{settings.Format}': expected json, dot, mermaid, svg or png");
        }

        // PNG bytes on a terminal are noise: refused before anything is drawn.
        return settings.Format == "png" && settings.Out is null && !Console.IsOutputRedirected
            ? ValidationResult.Error("--format png writes binary data: give --out FILE, or redirect stdout to a file (> graph.png)")
            : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var services = CliContext.Open(settings);
        var builder = services.GetRequiredService<GraphBuilder>();
        long? project = null, task = null;
        if (TaskScope().Match(settings.Scope) is { Success: true } m)
        {
            task = long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (settings.Scope != "workspace")
        {
            project = services.GetRequiredService<ProjectService>().Find(settings.Scope)?.Id;
            if (project is null)
            {
                return CliContext.Fail(settings, $"no project named '{settings.Scope}' (scope is a project name, task:ID, or workspace)");
            }
        }

        var graph = GraphScope.Select(builder, project, task, null, settings.Depth, settings.Kinds, out var error);
        if (graph is null)
        {
            return CliContext.Fail(settings, error!, 2);
        }

        if (settings.Format != "json" && !settings.Expand)
        {
            graph = graph.Folded();
        }

        switch (settings.Format)
        {
            case "png":
                var png = GraphRenderer.Png(graph, GraphRenderer.Layout(graph));
                if (settings.Out is null)
                {
                    using var stdout = Console.OpenStandardOutput();
                    stdout.Write(png);
                    return 0;
                }

                File.WriteAllBytes(settings.Out, png);
                break;
            default:
                var text = settings.Format switch
                {
                    "dot" => GraphExport.Dot(graph),
                    "mermaid" => GraphExport.Mermaid(graph),
                    "svg" => GraphRenderer.Svg(graph, GraphRenderer.Layout(graph), settings.BaseUrl),
                    _ => GraphExport.Json(graph),
                };
                if (settings.Out is null)
                {
                    Console.Out.Write(text);
                    if (!text.EndsWith('\n'))
                    {
                        Console.Out.WriteLine();
                    }

                    return 0;
                }

                File.WriteAllText(settings.Out, text);
                break;
        }

        CliContext.Err.MarkupLine($"Wrote {graph.Nodes.Count} nodes and {graph.Edges.Count} edges to [bold]{Markup.Escape(settings.Out!)}[/].");
        return 0;
    }

    [GeneratedRegex(@"^(?:task[:/#]?)(\d+)$")]
    private static partial Regex TaskScope();
}
