using Cairn.Storage.Catalog;
using Hangfire;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Jobs;

/// <summary>Creates a task and hands it to the job engine, where any server or <c>cairn worker</c> process picks it up.</summary>
public sealed class TaskQueue(TaskService tasks, IBackgroundJobClient jobs)
{
    /// <summary>Validates and stores the task, then enqueues its job. Throws <see cref="TaskValidationException"/> on bad input.</summary>
    public TaskRow Submit(TaskRequest request)
    {
        var row = tasks.Create(request);
        var id = row.Id;
        row.JobId = jobs.Enqueue<TaskJob>(j => j.RunAsync(id, CancellationToken.None));
        tasks.Records.SetJobId(row.Id, row.JobId);
        return row;
    }
}
