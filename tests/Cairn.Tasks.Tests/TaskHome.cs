using System.Text.Json.Nodes;
using Cairn.Storage;
using Cairn.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tasks.Tests;

/// <summary>A temporary Cairn home with the application services over it; the task registry also holds <c>run</c> and the test kinds.</summary>
public sealed class TaskHome : IDisposable
{
    public TaskHome(params ITaskListener[] listeners)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cairn-tasks-test-" + Guid.NewGuid().ToString("N"));
        Store = CairnStore.Open(Path);
        Services = new ServiceCollection().AddSingleton(Store).AddCairn(Path, listeners: listeners)
            .AddSingleton<ITaskKind, Kinds.RunTaskKind>().AddSingleton<ITaskKind, FailingKind>().AddSingleton<ITaskKind, WaitingKind>()
            .BuildServiceProvider();
        Tasks = Services.GetRequiredService<TaskService>();
    }

    public ServiceProvider Services { get; }

    public string Path { get; }

    public CairnStore Store { get; }

    public TaskService Tasks { get; }

    /// <summary>Imports tiny-coco val2017 (50 images, from ../shared/data) as <paramref name="name"/> through an import task.</summary>
    public async Task<Storage.Catalog.TaskRow> ImportTinyAsync(string name = "tiny")
    {
        var t = Tasks.Create(new TaskRequest("import", new JsonObject
        {
            ["format"] = "coco",
            ["path"] = SharedData.Resolve("tiny-coco"),
            ["project"] = name,
            ["annotations"] = "annotations/instances_val2017.json",
        }));
        return await Tasks.RunAsync(t.Id);
    }

    public void Dispose()
    {
        Services.Dispose();
        Store.Dispose();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
