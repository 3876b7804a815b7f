using System.Reflection;
using Cairn.Cli.Commands;
using Cairn.Cli.Native;
using Spectre.Console.Cli;

args = GlobalOptions.Hoist(args);
CliOutput.Configure();
var app = new CommandApp();
app.Configure(c =>
{
    c.SetApplicationName("cairn");
    c.SetApplicationVersion(typeof(CairnSettings).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");
    c.PropagateExceptions();
    // An option nobody declared (a typo such as --titel) is an error, not silently ignored; `cairn run` still takes its
    // program's arguments after --.
    c.UseStrictParsing();
    c.AddCommand<ServeCommand>("serve")
        .WithDescription("Start the server and web UI on the embedded store")
        .WithExample("serve")
        .WithExample("serve", "--home", "/data/cairn", "--urls", "http://127.0.0.1:8080")
        .WithExample("serve", "--urls", "http://127.0.0.1:5180", "--behind-proxy");
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
        .WithExample("import", "yolo", "datasets/shapes.zip", "--project", "shapes")
        .WithExample("import", "yolo", "more-shapes.zip", "--into", "shapes/extra");
    c.AddCommand<ExportCommand>("export")
        .WithDescription("Export a project's working state or a version (project@N) in a dataset format")
        .WithExample("export", "coco", "coco-val", "out/coco-val")
        .WithExample("export", "yolo", "coco-val@2", "out/yolo", "--shapes-as-boxes");
    c.AddBranch("model", m =>
    {
        m.SetDescription("Register and inspect models (ONNX)");
        m.AddCommand<ModelAddCommand>("add").WithDescription("Register an ONNX model: its file, classes, input size and output layout").WithExample("model", "add", "samples/shapes-det.onnx", "--name", "shapes-det", "--classes", "circle,square,triangle");
        m.AddCommand<ModelListCommand>("list").WithDescription("List registered models").WithExample("model", "list", "--json");
        m.AddCommand<ModelShowCommand>("show").WithDescription("Show a model's classes, layout and producing task").WithExample("model", "show", "shapes-det");
    });
    c.AddCommand<PredictCommand>("predict")
        .WithDescription("Apply a model to a project version as a task, writing a new project of predictions")
        .WithExample("predict", "shapes-det", "shapes@2", "--output", "shapes-predicted");
    c.AddBranch("benchmark", b =>
    {
        b.SetDescription("Benchmark models on dataset versions (accuracy, diagnostics, speed) and compare them");
        b.AddCommand<BenchmarkRunCommand>("run").WithDescription("Benchmark a model on a version: inference, COCO metrics, diagnostics, speed test, report").WithExample("benchmark", "run", "shapes-det", "shapes-val@1").WithExample("benchmark", "run", "shapes-det", "shapes-val@1", "--conf", "0.25", "--title", "conf 0.25");
        b.AddCommand<BenchmarkListCommand>("list").WithDescription("List evaluations").WithExample("benchmark", "list");
        b.AddCommand<BenchmarkShowCommand>("show").WithDescription("Show an evaluation: model, ground truth, mAP and per-class numbers").WithExample("benchmark", "show", "1");
        b.AddCommand<BenchmarkCompareCommand>("compare").WithDescription("Compare evaluations of the same ground truth side by side").WithExample("benchmark", "compare", "1", "2", "--report", "compare.html");
    });
    // Commands of other features register below, one line each.
    EvalCommand.Register(c);
    c.AddCommand<OpCommand>("op").WithDescription("Run a data operation on a project or version as a tracked task, writing a new project").WithExample("op", "filter", "coco-val@1", "--output", "people", "-P", "classes=[\"person\"]", "-P", "minObjects=2").WithExample("op", "copy-paste", "backgrounds@1", "-P", "objects=shapes@2", "-P", "perBackground=3", "--output", "pasted");
    c.AddCommand<GraphCommand>("graph").WithDescription("Export the workflow graph of a project, a task or the workspace as JSON, DOT, Mermaid, SVG or PNG").WithExample("graph", "coco-val", "--format", "svg", "--out", "lineage.svg").WithExample("graph", "task:12", "--format", "mermaid");
    c.AddCommand<RunCommand>("run").WithDescription("Run an external program (e.g. a training script) as a tracked task: inputs on disk, log streamed, outputs recorded").WithExample("run", "--input", "shapes@2", "--format", "yolo", "--outputs", "runs/exp1", "--", "python", "train.py", "--epochs", "10");
    c.AddCommand<WorkerCommand>("worker").WithDescription("Take task jobs from the home's queue (no web UI); run several for more throughput").WithExample("worker", "--home", "/data/cairn");
    VersionCommands.Register(c);
    TaskCommands.Register(c);
    AccountCommands.Register(c);
});

try
{
    return await app.RunAsync(args);
}
catch (CommandParseException e)
{
    Console.Error.WriteLine($"error: {e.Message.TrimEnd('.')}. Run `cairn --help` or `cairn <command> --help`.");
    return 2;
}
catch (CommandRuntimeException e)
{
    Console.Error.WriteLine($"error: {e.Message.TrimEnd('.')}. Run `cairn <command> --help` for usage.");
    return 2;
}
catch (Exception e) when (CliErrors.Describe(e) is { } error)
{
    Console.Error.WriteLine(error.Message);
    return error.ExitCode;
}
