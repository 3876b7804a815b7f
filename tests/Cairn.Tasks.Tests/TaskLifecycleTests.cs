using System.Text.Json.Nodes;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Microsoft.EntityFrameworkCore;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Tests;

public sealed class TaskLifecycleTests
{
    [Fact]
    public async Task Import_task_succeeds_and_records_project_and_version_as_outputs()
    {
        using var home = new TaskHome();
        var t = await home.ImportTinyAsync();

        Assert.Equal(TaskStates.Succeeded, t.Status);
        Assert.Null(t.Error);
        Assert.Equal(1.0, t.Progress);
        Assert.NotNull(t.StartedAt);
        Assert.True(t.EndedAt >= t.StartedAt);
        var project = new ProjectService(home.Store).Find("tiny")!;
        Assert.Equal(t.Id, project.CreatedByTaskId);
        var outputs = home.Tasks.Records.Relations(t.Id).Where(r => r.Direction == "output").ToList();
        Assert.Equal([NodeKinds.Project, NodeKinds.Version], outputs.Select(r => r.NodeKind));
        Assert.Equal(project.Id, outputs[0].RefId);
        var v1 = new VersionService(home.Store).Get(project.Id, 1)!;
        Assert.Equal(v1.Id, outputs[1].RefId);
        Assert.Equal("tiny@1", outputs[1].Title);
        // tiny-coco val2017 holds 50 images (ls ../shared/data/tiny-coco/val2017 | wc -l).
        Assert.Equal(50, v1.Items);
        Assert.Equal(50, JsonNode.Parse(t.ResultJson!)!["items"]!.GetValue<int>());
        Assert.Contains(home.Tasks.Records.Log(t.Id), l => l.Message == "task succeeded");
    }

    [Fact]
    public async Task Changed_input_is_versioned_before_the_task_reads_it_and_the_version_is_the_input()
    {
        using var home = new TaskHome();
        await home.ImportTinyAsync();
        var projects = new ProjectService(home.Store);
        var tiny = projects.Find("tiny")!;
        var item = projects.Items(tiny.Id, take: 1).Single();
        var ann = Core.Serialization.AnnotationJson.Parse(item.AnnotationJson);
        Assert.True(projects.UpdateAnnotation(item.Id, ann with { Labels = [] }));

        var t = home.Tasks.Create(new TaskRequest("filter", new JsonObject { ["input"] = "tiny", ["output"] = "with-labels", ["minObjects"] = 1 }));
        t = await home.Tasks.RunAsync(t.Id);

        Assert.Equal(TaskStates.Succeeded, t.Status);
        var v2 = new VersionService(home.Store).Get(tiny.Id, 2);
        Assert.NotNull(v2);
        var input = Assert.Single(home.Tasks.Records.Relations(t.Id), r => r.Direction == "input");
        Assert.Equal((NodeKinds.Version, v2.Id, "tiny@2"), (input.NodeKind, input.RefId!.Value, input.Title));
        // Version 2 has the emptied item; the filter (min 1 object) dropped it along with every image that had no labels before.
        var expected = new VersionService(home.Store).ReadAll(v2).Count(i => i.LabelCount >= 1);
        Assert.Equal(expected, JsonNode.Parse(t.ResultJson!)!["kept"]!.GetValue<int>());
        Assert.Equal(expected, new VersionService(home.Store).Get(projects.Find("with-labels")!.Id, 1)!.Items);

        // Unchanged since v2: a second task reads v2 again, no v3.
        var t2 = home.Tasks.Create(new TaskRequest("filter", new JsonObject { ["input"] = "tiny", ["output"] = "again" }));
        await home.Tasks.RunAsync(t2.Id);
        Assert.Null(new VersionService(home.Store).Get(tiny.Id, 3));
        Assert.Equal(v2.Id, home.Tasks.Records.Relations(t2.Id).Single(r => r.Direction == "input").RefId);
    }

    [Fact]
    public async Task Failed_task_leaves_no_output_project()
    {
        using var home = new TaskHome();
        await home.ImportTinyAsync();
        var t = home.Tasks.Create(new TaskRequest("test-fail", new JsonObject { ["input"] = "tiny", ["output"] = "half" }));
        t = await home.Tasks.RunAsync(t.Id);

        Assert.Equal(TaskStates.Failed, t.Status);
        Assert.Equal("deliberate failure after the output was written", t.Error);
        Assert.Null(new ProjectService(home.Store).Find("half"));
        using var db = home.Store.Catalog();
        Assert.False(db.Projects.Any(p => p.CreatedByTaskId == t.Id));
        Assert.False(db.Versions.Any(v => v.CreatedByTaskId == t.Id));
        Assert.DoesNotContain(home.Tasks.Records.Relations(t.Id), r => r.Direction == "output");
        Assert.Contains(home.Tasks.Records.Log(t.Id), l => l.Level == "error");
    }

    [Fact]
    public async Task Cancel_request_stops_a_running_task_and_rolls_back_its_output()
    {
        using var home = new TaskHome();
        await home.ImportTinyAsync();
        var t = home.Tasks.Create(new TaskRequest("test-wait", new JsonObject { ["input"] = "tiny", ["output"] = "never" }));
        var run = home.Tasks.RunAsync(t.Id);
        // Wait until the runner has stored its progress report, so the cancel hits a running task.
        for (var i = 0; i < 200 && home.Tasks.Records.Get(t.Id)!.ProgressMessage != "waiting"; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(TaskStates.Running, home.Tasks.Records.Get(t.Id)!.Status);
        Assert.NotNull(new ProjectService(home.Store).Find("never"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(home.Tasks.Records.RequestCancel(t.Id));
        var done = await run;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancel took {clock.Elapsed}");
        Assert.Equal(TaskStates.Cancelled, done.Status);
        Assert.Equal("cancelled on request", done.Error);
        Assert.Null(new ProjectService(home.Store).Find("never"));
        Assert.False(home.Tasks.Records.RequestCancel(t.Id));
    }

    [Fact]
    public async Task Cancelling_a_queued_task_ends_it_and_a_worker_then_skips_it()
    {
        using var home = new TaskHome();
        var t = home.Tasks.Create(new TaskRequest("test-wait", new JsonObject { ["input"] = "x", ["output"] = "y" }));
        Assert.True(home.Tasks.Records.RequestCancel(t.Id));
        var after = await home.Tasks.RunAsync(t.Id);
        Assert.Equal(TaskStates.Cancelled, after.Status);
        Assert.Null(after.StartedAt);
    }

    [Fact]
    public async Task Stale_running_task_is_failed_by_recovery_and_never_rerun()
    {
        using var home = new TaskHome();
        var t = home.Tasks.Create(new TaskRequest("test-wait", new JsonObject { ["input"] = "x", ["output"] = "y" }));
        using (var db = home.Store.Catalog())
        {
            // As a killed server leaves it: running, last heartbeat a minute ago.
            db.Tasks.Where(x => x.Id == t.Id).ExecuteUpdate(s => s
                .SetProperty(x => x.Status, TaskStates.Running)
                .SetProperty(x => x.HeartbeatAt, DateTime.UtcNow.AddMinutes(-1)));
        }

        var fresh = home.Tasks.Create(new TaskRequest("test-wait", new JsonObject { ["input"] = "x", ["output"] = "z" }));
        using (var db = home.Store.Catalog())
        {
            db.Tasks.Where(x => x.Id == fresh.Id).ExecuteUpdate(s => s.SetProperty(x => x.Status, TaskStates.Running).SetProperty(x => x.HeartbeatAt, DateTime.UtcNow));
        }

        Assert.Equal(1, home.Tasks.RecoverStale(TimeSpan.FromSeconds(30)));
        var failed = home.Tasks.Records.Get(t.Id)!;
        Assert.Equal(TaskStates.Failed, failed.Status);
        Assert.StartsWith("The process running this task stopped", failed.Error);
        Assert.Equal(TaskStates.Running, home.Tasks.Records.Get(fresh.Id)!.Status);
        // Hangfire may hand the aborted job out again: the runner must leave the failed task alone.
        Assert.Equal(TaskStates.Failed, (await home.Tasks.RunAsync(t.Id)).Status);
    }

    [Fact]
    public void Bad_parameters_are_rejected_naming_the_parameter()
    {
        using var home = new TaskHome();
        var e = Assert.Throws<TaskValidationException>(() => home.Tasks.Create(new TaskRequest("import", new JsonObject { ["format"] = "coco", ["path"] = "/nonexistent/x", ["project"] = "p" })));
        Assert.Contains("parameter 'path'", e.Message);
        e = Assert.Throws<TaskValidationException>(() => home.Tasks.Create(new TaskRequest("nope", [])));
        Assert.Contains("unknown task kind 'nope'", e.Message);
    }
}
