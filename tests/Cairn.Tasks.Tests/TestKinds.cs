using System.Text.Json.Nodes;
using Cairn.Storage;
using Cairn.Storage.Projects;

namespace Cairn.Tasks.Tests;

/// <summary>Writes its output project (a copy of its input), then fails: the runner must take the output back.</summary>
internal sealed class FailingKind : ITaskKind
{
    public string Kind => "test-fail";

    public string Title(JsonObject p) => "fails after writing";

    public string? Validate(JsonObject p, CairnStore store) => null;

    public Task RunAsync(TaskContext ctx)
    {
        var v = ctx.ReadInput(ctx.String("input"));
        ctx.CreateOutputProject(ctx.String("output"), ctx.Meta(v), ctx.Items(v).Select(i => new NewItem(i.Dataset, i.Name, i.ImageId, i.ImageSize, i.ParseAnnotation())));
        throw new InvalidDataException("deliberate failure after the output was written");
    }
}

/// <summary>Reads its input, reports progress, then waits until cancelled (or 30 s).</summary>
internal sealed class WaitingKind : ITaskKind
{
    public string Kind => "test-wait";

    public string Title(JsonObject p) => "waits for cancel";

    public string? Validate(JsonObject p, CairnStore store) => null;

    public async Task RunAsync(TaskContext ctx)
    {
        var v = ctx.ReadInput(ctx.String("input"));
        ctx.CreateOutputProject(ctx.String("output"), ctx.Meta(v), []);
        ctx.Report(0.5, "waiting");
        ctx.Log("waiting for cancel");
        await Task.Delay(TimeSpan.FromSeconds(30), ctx.Cancellation);
    }
}
