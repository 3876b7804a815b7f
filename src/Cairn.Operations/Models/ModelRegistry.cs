using System.Text.Json;
using Cairn.Core.Ids;
using Cairn.Inference;
using Cairn.Storage;
using Cairn.Storage.Catalog;
using Cairn.Storage.Models;

namespace Cairn.Operations.Models;

/// <summary>Registered models: the ONNX file in the object store, its classes, input size and output layout, and the task that produced it.</summary>
public sealed class ModelRegistry(CairnStore store)
{
    private readonly ModelRecords records = new(store);

    /// <summary>JSON options for <see cref="ModelInfo"/> as stored in the catalog.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>
    /// Registers an ONNX model. The file is opened with ONNX Runtime first, so a model whose outputs fit no known layout
    /// is refused with the error that says what was found; nothing is stored then. Class names come from
    /// <paramref name="classes"/>, else the model's metadata (Ultralytics' <c>names</c>), else
    /// <paramref name="fallbackClasses"/> when their count fits (a run's input version), else <c>class_0…</c>; then
    /// <paramref name="classMap"/> (see <see cref="ClassMapping"/>) renames them.
    /// </summary>
    public ModelRow Add(string file, string name, IReadOnlyList<string>? classes = null, int? inputSize = null, OutputLayout? layout = null, long? taskId = null, string? description = null, IReadOnlyList<string>? fallbackClasses = null, System.Text.Json.Nodes.JsonNode? classMap = null)
    {
        if (!File.Exists(file))
        {
            throw new ModelRegistryException($"model file {file} does not exist; check the path (relative paths are from the current folder)");
        }

        if (records.Exists(name))
        {
            throw new ModelRegistryException($"a model named '{name}' exists already; choose another --name");
        }

        ModelInfo info;
        using (var detector = OnnxDetector.Load(file, new DetectorOptions { ClassNames = classes, InputSize = inputSize, Layout = layout, IntraOpThreads = 1 }))
        {
            info = detector.Info;
        }

        if (classes is not null && classes.Count != info.ClassCount)
        {
            throw new ModelRegistryException($"{file}: {classes.Count} class names given ({string.Join(", ", classes)}) for a model with {info.ClassCount} output classes; give one name per class, in index order");
        }

        // A model without class names (and none given) gets class_0…class_{C-1}, so predictions still have names; a
        // benchmark refuses to run when none of them is a class of the data (BenchmarkTaskKind).
        var names = ClassMapping.Apply(
            classMap,
            info.ClassNames.Count == info.ClassCount ? info.ClassNames
                : fallbackClasses?.Count == info.ClassCount ? fallbackClasses
                : Enumerable.Range(0, info.ClassCount).Select(i => $"class_{i}").ToList());
        var put = store.Objects.PutFile(file);
        return records.Add(new ModelRow
        {
            Name = name,
            Description = description,
            FileId = put.Id.Bytes.ToArray(),
            FileSize = put.Size,
            ClassesJson = JsonSerializer.Serialize(names),
            InputSize = info.InputWidth,
            Layout = info.Layout.ToString(),
            InfoJson = JsonSerializer.Serialize(info, JsonOptions),
            TaskId = taskId,
            CreatedAt = store.UtcNow,
        });
    }

    /// <summary>Every model, newest first.</summary>
    public IReadOnlyList<ModelRow> List() => records.List();

    /// <summary>A model by name or numeric id.</summary>
    public ModelRow? Find(string nameOrId) => records.Find(nameOrId);

    /// <summary>A model by id.</summary>
    public ModelRow? Get(long id) => records.Get(id);

    /// <summary>Class names of a model.</summary>
    public static IReadOnlyList<string> Classes(ModelRow model) => JsonSerializer.Deserialize<string[]>(model.ClassesJson) ?? [];

    /// <summary>
    /// A local path of the model file for ONNX Runtime: the verified object copied once into the home's cache.
    /// </summary>
    public string LocalPath(ModelRow model)
    {
        var id = ContentId.FromBytes(model.FileId);
        var dir = Path.Combine(store.Home, "cache", "models");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, id + ".onnx");
        if (!File.Exists(path))
        {
            var bytes = store.Objects.Get(id);
            var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N");
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, path, overwrite: true);
        }

        return path;
    }

    /// <summary>Loads a registered model for inference.</summary>
    public OnnxDetector Open(ModelRow model, DetectionOptions? detection = null, int? intraOpThreads = null) =>
        OnnxDetector.Load(LocalPath(model), new DetectorOptions
        {
            ClassNames = Classes(model),
            InputSize = model.InputSize,
            Layout = Enum.Parse<OutputLayout>(model.Layout),
            Detection = detection ?? DetectionOptions.Validation,
            IntraOpThreads = intraOpThreads ?? 0,
        });
}

/// <summary>A model cannot be registered or found.</summary>
public sealed class ModelRegistryException(string message) : Exception(message);
