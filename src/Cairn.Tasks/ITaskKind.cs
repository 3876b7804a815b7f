using System.Text.Json.Nodes;

namespace Cairn.Tasks;

/// <summary>One kind of task (import, filter, run, …): checks its parameters, then does the work through a <see cref="TaskContext"/>.</summary>
public interface ITaskKind
{
    /// <summary>The kind's name, stored in <c>TaskRow.Kind</c>.</summary>
    string Kind { get; }

    /// <summary>A one-line title for a task with these (valid) parameters.</summary>
    string Title(JsonObject parameters);

    /// <summary>Null when the parameters are valid, else a message (or a <see cref="Storage.Tasks.TaskValidationException"/>) naming the parameter and what was expected.</summary>
    string? Validate(JsonObject parameters);

    /// <summary>Does the work: reads inputs through the context, writes outputs at the end through it.</summary>
    Task RunAsync(TaskContext context);
}
