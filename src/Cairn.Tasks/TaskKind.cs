using System.Text.Json.Nodes;
using Cairn.Storage.Projects;

namespace Cairn.Tasks;

/// <summary>
/// A task kind whose parameters are the record <typeparamref name="TParameters"/>, bound by <see cref="TaskParameters"/>
/// when the task is created and again when it runs; the kind adds the checks that need the store in <see cref="Check"/>.
/// </summary>
public abstract class TaskKind<TParameters> : ITaskKind
    where TParameters : class
{
    /// <inheritdoc/>
    public abstract string Kind { get; }

    /// <inheritdoc/>
    public string Title(JsonObject parameters) => Title(TaskParameters.Bind<TParameters>(parameters));

    /// <inheritdoc/>
    public string? Validate(JsonObject parameters) => Check(TaskParameters.Bind<TParameters>(parameters));

    /// <inheritdoc/>
    public Task RunAsync(TaskContext context) => RunAsync(context, TaskParameters.Bind<TParameters>(context.Parameters));

    /// <summary>A one-line title for a task with <paramref name="p"/>.</summary>
    protected abstract string Title(TParameters p);

    /// <summary>Null when the store agrees with <paramref name="p"/> (the output does not exist yet, the model is registered…), else what is wrong.</summary>
    protected virtual string? Check(TParameters p) => null;

    /// <summary>Does the work.</summary>
    protected abstract Task RunAsync(TaskContext context, TParameters p);

    /// <summary>Null when no project is named <paramref name="name"/>, else the message for parameter <paramref name="parameter"/>.</summary>
    protected static string? Taken(ProjectService projects, string name, string parameter = "output") =>
        projects.Find(name) is null ? null : $"parameter '{parameter}': a project named '{name}' exists already; choose another name (or delete that project)";
}
