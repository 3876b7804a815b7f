using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Kinds;

/// <summary>The <c>filter</c> kind's parameters: an item is kept when it matches every one given.</summary>
public sealed record FilterParameters(
    [property: Description(TaskParameters.InputSpec)] string Input,
    [property: Description(TaskParameters.NewProject)] string Output,
    IReadOnlyList<string>? Classes = null,
    IReadOnlyList<string>? Absent = null,
    int MinObjects = 0,
    int MaxObjects = int.MaxValue,
    string? Name = null) : IValidatableParameters
{
    /// <summary>The item name pattern, or null.</summary>
    public Regex? NameRegex => Name is null ? null : new Regex(Name, RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <inheritdoc/>
    public string? Validate()
    {
        try
        {
            _ = NameRegex;
            return null;
        }
        catch (ArgumentException e)
        {
            return $"parameter 'name': not a regular expression: {e.Message}";
        }
    }
}

/// <summary>
/// <c>filter</c>: keeps the items of an input version that match every given condition, as a new project.
/// Parameters: <see cref="FilterParameters"/> (classes: any present; absent: none present; name: a regex).
/// </summary>
public sealed class FilterTaskKind(ProjectService projects) : TaskKind<FilterParameters>
{
    /// <inheritdoc/>
    public override string Kind => "filter";

    /// <inheritdoc/>
    protected override string Title(FilterParameters p) => $"filter {p.Input} → {p.Output}";

    /// <inheritdoc/>
    protected override string? Check(FilterParameters p) => Taken(projects, p.Output);

    /// <inheritdoc/>
    protected override Task RunAsync(TaskContext ctx, FilterParameters p)
    {
        var version = ctx.ReadInput(p.Input);
        var meta = ctx.Meta(version);
        var classes = (p.Classes ?? []).ToHashSet(StringComparer.Ordinal);
        var absent = (p.Absent ?? []).ToHashSet(StringComparer.Ordinal);
        var name = p.NameRegex;
        var kept = new List<NewItem>();
        long seen = 0;
        foreach (var item in ctx.Items(version))
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            seen++;
            if (seen % 64 == 0)
            {
                ctx.Report(version.Items == 0 ? 0 : (double)seen / version.Items, "filtering");
            }

            if (item.LabelCount < p.MinObjects || item.LabelCount > p.MaxObjects || (name is not null && !name.IsMatch(item.Name)))
            {
                continue;
            }

            var ann = item.ParseAnnotation();
            if (classes.Count > 0 && !ann.Labels.Any(l => classes.Contains(l.ClassName)))
            {
                continue;
            }

            if (absent.Count > 0 && ann.Labels.Any(l => absent.Contains(l.ClassName)))
            {
                continue;
            }

            kept.Add(new NewItem(item.Dataset, item.Name, item.ImageId, item.ImageSize, ann));
        }

        ctx.Log($"kept {kept.Count} of {seen} items");
        ctx.Report(0.95, "writing output");
        var (project, _) = ctx.CreateOutputProject(p.Output, meta, kept, $"Filtered from {p.Input}");
        ctx.Result = new JsonObject { ["project"] = project.Name, ["kept"] = kept.Count, ["seen"] = seen };
        return Task.CompletedTask;
    }
}
