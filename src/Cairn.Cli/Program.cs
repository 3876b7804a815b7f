using Cairn.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(c =>
{
    c.SetApplicationName("cairn");
    c.PropagateExceptions();
    c.AddCommand<ServeCommand>("serve")
        .WithDescription("Start the server and web UI on the embedded store")
        .WithExample("serve")
        .WithExample("serve", "--home", "/data/cairn", "--urls", "http://0.0.0.0:5180");
    c.AddBranch("project", p =>
    {
        p.SetDescription("List, show and delete projects");
        p.AddCommand<ProjectListCommand>("list").WithDescription("List projects").WithExample("project", "list", "--json");
        p.AddCommand<ProjectShowCommand>("show").WithDescription("Show a project: classes, datasets, counts").WithExample("project", "show", "coco-val");
        p.AddCommand<ProjectDeleteCommand>("delete").WithDescription("Delete a project's working state (versions stay)").WithExample("project", "delete", "coco-val");
    });
    c.AddCommand<ImportCommand>("import")
        .WithDescription("Import a dataset (COCO, YOLO, Pascal VOC, Supervisely; folder or archive) as a new project")
        .WithExample("import", "coco", "../shared/data/tiny-coco", "--project", "coco-val", "--annotations", "annotations/instances_val2017.json")
        .WithExample("import", "yolo", "datasets/shapes.zip", "--project", "shapes");
    c.AddCommand<ExportCommand>("export")
        .WithDescription("Export a project's working state or a version (project@N) in a dataset format")
        .WithExample("export", "coco", "coco-val", "out/coco-val")
        .WithExample("export", "yolo", "coco-val@2", "out/yolo", "--shapes-as-boxes");
    // Commands of other features register below, one line each.
    EvalCommand.Register(c);
    c.AddCommand<OpCommand>("op").WithDescription("Run a data operation on a project or version as a tracked task, writing a new project").WithExample("op", "filter", "coco-val@1", "--output", "people", "-P", "classes=[\"person\"]", "-P", "minObjects=2");
    c.AddCommand<WorkerCommand>("worker").WithDescription("Take task jobs from the home's queue (no web UI); run several for more throughput").WithExample("worker", "--home", "/data/cairn");
    VersionCommands.Register(c);
});

try
{
    return await app.RunAsync(args);
}
catch (CommandParseException e)
{
    Console.Error.WriteLine($"error: {e.Message}. Run `cairn --help` or `cairn <command> --help`.");
    return 2;
}
catch (CommandRuntimeException e)
{
    Console.Error.WriteLine($"error: {e.Message}. Run `cairn <command> --help` for usage.");
    return 2;
}
catch (Cairn.Storage.Objects.CorruptObjectException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 3;
}
catch (Cairn.Storage.Objects.MissingObjectException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 3;
}
catch (Cairn.Storage.Projects.ProjectExistsException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
catch (Cairn.Core.Formats.DatasetFormatException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
