using Cairn.TestSupport;

namespace Cairn.Cli.Tests;

/// <summary>`cairn import FORMAT PATH --into PROJECT[/DATASET]`: items into an existing project, classes merged, clashes refused.</summary>
public sealed class ImportIntoCliTests : IDisposable
{
    private readonly CliRunner _cli = new();
    private readonly TempDir _data = new("cairn-into-");

    public void Dispose()
    {
        _cli.Dispose();
        _data.Dispose();
    }

    [Fact]
    public void Import_into_adds_items_to_the_named_dataset_merges_classes_and_the_next_version_shows_the_additions()
    {
        var first = _cli.Run("import", "yolo", TinyYolo.Write(_data["a"], ["cat", "dog"], 3, "a"), "--project", "pets", "--json");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal(1, first.Json().GetProperty("version").GetInt32());

        // The second dataset knows "dog" and adds "bird"; its items go into the dataset "extra", which does not exist yet.
        var more = _cli.Run("import", "yolo", TinyYolo.Write(_data["b"], ["dog", "bird"], 2, "b", shade: 120), "--into", "pets/extra", "--json");
        Assert.True(more.ExitCode == 0, more.Stderr);
        var json = more.Json();
        Assert.Equal("pets", json.GetProperty("project").GetProperty("name").GetString());
        Assert.Equal(first.Json().GetProperty("project").GetProperty("id").GetInt64(), json.GetProperty("project").GetProperty("id").GetInt64());
        Assert.Equal(["bird"], json.GetProperty("newClasses").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(3, json.GetProperty("classes").GetInt32());
        Assert.Equal(2, json.GetProperty("version").GetInt32());

        var show = _cli.Run("project", "show", "pets", "--json");
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("extra", show.Stdout);

        var diff = _cli.Run("version", "diff", "pets@1", "pets@2", "--json").Json();
        Assert.Equal(2, diff.GetProperty("summary").GetProperty("added").GetInt32());
        Assert.Equal(0, diff.GetProperty("summary").GetProperty("removed").GetInt32());
        Assert.All(diff.GetProperty("added").EnumerateArray(), a => Assert.Equal("extra", a.GetProperty("dataset").GetString()));
        Assert.Equal(["b0.png", "b1.png"], diff.GetProperty("added").EnumerateArray().Select(a => a.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var bird = diff.GetProperty("classes").EnumerateArray().Single(c => c.GetProperty("className").GetString() == "bird");
        Assert.Equal(0, bird.GetProperty("labelsBefore").GetInt64());
        Assert.Equal(1, bird.GetProperty("labelsAfter").GetInt64());

        // The import task is on the graph with the existing project and its new version as outputs.
        var task = $"task:{json.GetProperty("task").GetInt64()}";
        var g = _cli.Run("graph", "pets", "--format", "json").Json();
        var outputs = g.GetProperty("edges").EnumerateArray().Where(e => e.GetProperty("from").GetString() == task)
            .Select(e => g.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == e.GetProperty("to").GetString()).GetProperty("title").GetString())
            .Order(StringComparer.Ordinal);
        Assert.Equal(["pets", "pets@2"], outputs);
    }

    [Fact]
    public void A_name_taken_in_the_target_dataset_refuses_the_whole_import_and_changes_nothing()
    {
        Assert.Equal(0, _cli.Run("import", "yolo", TinyYolo.Write(_data["a"], ["cat"], 3, "x"), "--project", "pets").ExitCode);

        // x0.png..x3.png into the same dataset (train): x0..x2 are taken, x3 is new; nothing at all may be imported.
        var clash = _cli.Run("import", "yolo", TinyYolo.Write(_data["b"], ["cat", "owl"], 4, "x", shade: 200), "--into", "pets/train", "--json");
        Assert.Equal(1, clash.ExitCode);
        Assert.Contains("train/x0.png", clash.Stdout + clash.Stderr);
        Assert.Contains("already taken", clash.Stdout + clash.Stderr);
        Assert.DoesNotContain("train/x3.png", clash.Stdout + clash.Stderr);

        var show = _cli.Run("project", "show", "pets", "--json");
        Assert.DoesNotContain("owl", show.Stdout);
        Assert.Equal(3, _cli.Run("version", "show", "pets@1", "--json").Json().GetProperty("version").GetProperty("items").GetInt64());
        var diff = _cli.Run("version", "diff", "pets@1", "pets", "--json").Json();
        Assert.Equal(0, diff.GetProperty("summary").GetProperty("added").GetInt32());
        Assert.Single(_cli.Run("version", "list", "pets", "--json").Json().GetProperty("versions").EnumerateArray());

        // Into another dataset the same names are fine.
        var other = _cli.Run("import", "yolo", _data["b"], "--into", "pets/more", "--json");
        Assert.True(other.ExitCode == 0, other.Stderr + other.Stdout);
        Assert.Equal(["owl"], other.Json().GetProperty("newClasses").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public void Import_into_a_missing_project_or_with_a_bad_dataset_path_is_refused_by_name()
    {
        var root = TinyYolo.Write(_data["a"], ["cat"], 1);
        var missing = _cli.Run("import", "yolo", root, "--into", "nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no project named 'nope'", missing.Stdout + missing.Stderr);

        var bad = _cli.Run("import", "yolo", root, "--into", "pets/../x");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--into 'pets/../x'", bad.Stdout + bad.Stderr);

        var both = _cli.Run("import", "yolo", root, "--into", "pets", "--project", "other");
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("--into and --project", both.Stdout + both.Stderr);
    }

    [Fact]
    public void A_plain_image_folder_imports_as_images_with_sub_folders_as_datasets()
    {
        _data.Write("shots/day/a.png", CraftedPng.Grey(20, 10, 1));
        _data.Write("shots/night/b.png", CraftedPng.Grey(30, 15, 2));
        _data.Write("shots/top.png", CraftedPng.Grey(8, 8, 3));
        var r = _cli.Run("import", "images", _data["shots"], "--project", "shots", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Equal(3, r.Json().GetProperty("items").GetInt32());
        var show = _cli.Run("project", "show", "shots", "--json").Stdout;
        Assert.Contains("\"day\"", show);
        Assert.Contains("\"night\"", show);
        Assert.Contains("\"ds0\"", show);
    }
}
