using Cairn.Storage.Projects;

namespace Cairn.Tasks.Tests;

/// <summary>The test kinds' parameters (a task that never runs, to own files, may have none).</summary>
internal sealed record TestParameters(string? Input = null, string? Output = null);

/// <summary>Writes its output project (a copy of its input), then fails: the runner must take the output back.</summary>
internal sealed class FailingKind : TaskKind<TestParameters>
{
    public override string Kind => "test-fail";

    protected override string Title(TestParameters p) => "fails after writing";

    protected override Task RunAsync(TaskContext ctx, TestParameters p)
    {
        var v = ctx.ReadInput(p.Input!);
        ctx.CreateOutputProject(p.Output!, ctx.Meta(v), ctx.Items(v).Select(i => new NewItem(i.Dataset, i.Name, i.ImageId, i.ImageSize, i.ParseAnnotation())));
        throw new InvalidDataException("deliberate failure after the output was written");
    }
}

/// <summary>Reads its input, reports progress, then waits until cancelled (or 30 s).</summary>
internal sealed class WaitingKind : TaskKind<TestParameters>
{
    public override string Kind => "test-wait";

    protected override string Title(TestParameters p) => "waits for cancel";

    protected override async Task RunAsync(TaskContext ctx, TestParameters p)
    {
        var v = ctx.ReadInput(p.Input!);
        ctx.CreateOutputProject(p.Output!, ctx.Meta(v), []);
        ctx.Report(0.5, "waiting");
        ctx.Log("waiting for cancel");
        await Task.Delay(TimeSpan.FromSeconds(30), ctx.Cancellation);
    }
}
