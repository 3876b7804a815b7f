using System.ComponentModel;
using System.Text.Json;
using Cairn.Inference;
using Cairn.Operations.Models;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cairn.Cli.Commands;

/// <summary>`cairn model add &lt;file.onnx&gt; --name N`.</summary>
public sealed class ModelAddCommand : Command<ModelAddCommand.Settings>
{
    /// <summary>Options of model add.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>ONNX file.</summary>
        [CommandArgument(0, "<file>")]
        [Description("The model file (.onnx)")]
        public string File { get; init; } = string.Empty;

        /// <summary>Name.</summary>
        [CommandOption("-n|--name <NAME>")]
        [Description("Name of the model (default: the file name)")]
        public string? Name { get; init; }

        /// <summary>Class names.</summary>
        [CommandOption("--classes <LIST>")]
        [Description("Class names in output order, comma-separated (default: from the model's metadata)")]
        public string? Classes { get; init; }

        /// <summary>Class names from a file.</summary>
        [CommandOption("--classes-file <FILE>")]
        [Description("Class names, one per line in output order, or a JSON object of model class index → dataset class")]
        public string? ClassesFile { get; init; }

        /// <summary>Input size.</summary>
        [CommandOption("--input-size <PX>")]
        [Description("Square input size when the model's input is dynamic")]
        public int? InputSize { get; init; }

        /// <summary>Layout override.</summary>
        [CommandOption("--layout <LAYOUT>")]
        [Description("Output layout when it cannot be detected: YoloChannelsFirst, YoloChannelsLast, YoloObjectness, EndToEnd, BoxesScoresLabels")]
        public string? Layout { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        OutputLayout? layout = null;
        if (settings.Layout is not null)
        {
            if (!Enum.TryParse<OutputLayout>(settings.Layout, ignoreCase: true, out var l))
            {
                return CliContext.Fail(settings, $"--layout '{settings.Layout}': expected one of {string.Join(", ", Enum.GetNames<OutputLayout>())}", 2);
            }

            layout = l;
        }

        using var services = CliContext.Open(settings);
        var name = settings.Name ?? Path.GetFileNameWithoutExtension(settings.File);
        Storage.Catalog.ModelRow model;
        try
        {
            // A list names every class (the detector needs it when the model names none); a JSON map renames some.
            var mapping = ClassMapping.FromOptions(settings.Classes, settings.ClassesFile);
            var classes = (mapping as System.Text.Json.Nodes.JsonArray)?.Select(n => n!.GetValue<string>()).ToList();
            model = services.GetRequiredService<ModelRegistry>().Add(settings.File, name, classes, settings.InputSize, layout, classMap: mapping as System.Text.Json.Nodes.JsonObject);
        }
        catch (Exception e) when (e is ModelRegistryException or ModelFormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            return CliContext.Fail(settings, $"{settings.File}: {e.Message}");
        }

        return ModelShowCommand.Print(settings, model);
    }
}

/// <summary>`cairn model list`.</summary>
public sealed class ModelListCommand : Command<CairnSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, CairnSettings settings, CancellationToken cancellationToken)
    {
        using var services = CliContext.Open(settings);
        var models = services.GetRequiredService<ModelRegistry>().List();
        if (settings.Json)
        {
            CliContext.PrintJson(new { models = models.Select(m => new { id = m.Id, name = m.Name, layout = m.Layout, inputSize = m.InputSize, classes = ModelRegistry.Classes(m), size = m.FileSize, createdAt = m.CreatedAt }) });
            return 0;
        }

        if (models.Count == 0)
        {
            AnsiConsole.MarkupLine(Markup.Escape("No models yet. Register one with `cairn model add FILE.onnx --name NAME --classes a,b,c`."));
            return 0;
        }

        var t = new Table().AddColumns("id", "name", "layout", "input", "classes", "size");
        foreach (var m in models)
        {
            t.AddRow(m.Id.ToString(), Markup.Escape(m.Name), m.Layout, m.InputSize.ToString(), Markup.Escape(string.Join(", ", ModelRegistry.Classes(m))), $"{m.FileSize / 1024.0:0} KB");
        }

        AnsiConsole.Write(t);
        return 0;
    }
}

/// <summary>`cairn model show`.</summary>
public sealed class ModelShowCommand : Command<ModelShowCommand.Settings>
{
    /// <summary>Options of model show.</summary>
    public sealed class Settings : CairnSettings
    {
        /// <summary>Model name or id.</summary>
        [CommandArgument(0, "<model>")]
        [Description("Model name or id")]
        public string Model { get; init; } = string.Empty;
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var services = CliContext.Open(settings);
        var model = services.GetRequiredService<ModelRegistry>().Find(settings.Model);
        return model is null
            ? CliContext.Fail(settings, $"no model '{settings.Model}'. Run `cairn model list`, or register one with `cairn model add FILE.onnx --name NAME`.")
            : Print(settings, model);
    }

    internal static int Print(CairnSettings settings, Storage.Catalog.ModelRow m)
    {
        if (settings.Json)
        {
            using var info = JsonDocument.Parse(m.InfoJson);
            CliContext.PrintJson(new { id = m.Id, name = m.Name, layout = m.Layout, inputSize = m.InputSize, classes = ModelRegistry.Classes(m), size = m.FileSize, taskId = m.TaskId, info = info.RootElement.Clone() });
            return 0;
        }

        AnsiConsole.MarkupLine($"Model [bold]{Markup.Escape(m.Name)}[/] (id {m.Id}): {m.Layout}, input {m.InputSize}×{m.InputSize}, classes {Markup.Escape(string.Join(", ", ModelRegistry.Classes(m)))}, {m.FileSize / 1024.0:0} KB.");
        return 0;
    }
}
