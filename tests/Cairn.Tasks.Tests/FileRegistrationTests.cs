using System.Text;
using System.Text.Json.Nodes;
using Cairn.Operations.Files;
using Cairn.Storage.Tasks;

namespace Cairn.Tasks.Tests;

/// <summary>One rule for a file registered at a path that is taken, whether a task, the API or a benchmark registers it.</summary>
public sealed class FileRegistrationTests
{
    [Fact]
    public void A_taken_path_keeps_the_first_file_and_numbers_the_next()
    {
        using var home = new TaskHome();
        var task = home.Tasks.Create(new TaskRequest("test-wait", new JsonObject { ["input"] = "none" }));
        var files = new FileService(home.Store);

        var first = home.Tasks.Files.AddFile(task.Id, "output", "runs/exp/report.html", Text("first"), "report");
        var second = home.Tasks.Files.AddFile(task.Id, "output", "runs/exp/report.html", Text("second"), "report");
        var third = files.Add("runs/exp/report.html", "third"u8, "report", task.Id);

        Assert.Equal(["runs/exp/report.html", "runs/exp/report (2).html", "runs/exp/report (3).html"], [first.Path, second.Path, third.Path]);
        Assert.Equal(["first", "second", "third"], new[] { first.Id, second.Id, third.Id }.Select(id => Encoding.UTF8.GetString(files.Read(files.Get(id)!))));
        Assert.Equal(
            ["runs/exp/report.html", "runs/exp/report (2).html"],
            home.Tasks.Records.Relations(task.Id).Where(r => r.NodeKind == NodeKinds.File).Select(r => r.RefPath));
    }

    private static MemoryStream Text(string s) => new(Encoding.UTF8.GetBytes(s));
}
