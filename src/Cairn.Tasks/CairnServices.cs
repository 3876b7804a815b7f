using Cairn.Operations.Benchmarks;
using Cairn.Operations.Files;
using Cairn.Operations.Models;
using Cairn.Storage;
using Cairn.Storage.Projects;
using Cairn.Storage.Versions;
using Cairn.Tasks.Graph;
using Cairn.Tasks.Kinds;
using Cairn.Tasks.Lineage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cairn.Tasks;

/// <summary>
/// The one place that wires Cairn's application services: the server, the CLI and the worker all call
/// <see cref="AddCairn"/>, and everything above Storage takes its services from the container instead of constructing them.
/// </summary>
public static class CairnServices
{
    /// <summary>
    /// Registers the <see cref="CairnStore"/> of <paramref name="home"/> (and <paramref name="catalog"/>) and every application
    /// service over it as singletons: projects, versions, imports, files, models, evaluations, benchmarks, the graph and tasks.
    /// The built-in task kinds (all but <c>run</c>) are <see cref="ITaskKind"/> services, like any a host adds
    /// (<c>AddSingleton&lt;ITaskKind, RunTaskKind&gt;()</c>); <see cref="TaskKindRegistry"/> holds them all.
    /// <paramref name="listeners"/> defaults to OpenLineage when CAIRN_OPENLINEAGE_URL is set. Nothing is opened until resolved.
    /// <paramref name="objectStore"/> is the object store for a new home (an <c>s3://</c> location; null: CAIRN_STORE, what the home recorded, or its own folder).
    /// </summary>
    public static IServiceCollection AddCairn(this IServiceCollection services, string home, string? catalog = null, IEnumerable<ITaskListener>? listeners = null, string? objectStore = null)
    {
        services.TryAddSingleton(_ => CairnStore.Open(home, catalog: catalog, objectStore: objectStore));
        services.TryAddSingleton<ProjectService>();
        services.TryAddSingleton<VersionService>();
        services.TryAddSingleton<ImportService>();
        services.TryAddSingleton<FileService>();
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddSingleton<EvaluationService>();
        services.TryAddSingleton<BenchmarkRunner>();
        services.TryAddSingleton<BenchmarkMatchesReader>();
        services.TryAddSingleton<PredictRunner>();
        services.TryAddSingleton<GraphBuilder>();
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<ITaskKind, ImportTaskKind>(),
            ServiceDescriptor.Singleton<ITaskKind, FilterTaskKind>(),
            ServiceDescriptor.Singleton<ITaskKind, PredictTaskKind>(),
            ServiceDescriptor.Singleton<ITaskKind, BenchmarkTaskKind>(),
            ServiceDescriptor.Singleton<ITaskKind, GenerateTaskKind>(),
            ServiceDescriptor.Singleton<ITaskKind, AugmentTaskKind>(),
            ServiceDescriptor.Singleton<ITaskKind, SplitTaskKind>(),
            ServiceDescriptor.Singleton<ITaskKind, TransformTaskKind>(),
            ServiceDescriptor.Singleton<ITaskKind, MergeTaskKind>(),
            ServiceDescriptor.Singleton<ITaskKind, CopyPasteTaskKind>(),
        ]);
        services.TryAddSingleton(sp => new TaskKindRegistry(sp.GetServices<ITaskKind>()));
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<TaskService>(sp, listeners ?? DefaultListeners()));
        services.TryAddSingleton(sp => sp.GetRequiredService<TaskService>().Records);
        return services;
    }

    /// <summary>OpenLineage when CAIRN_OPENLINEAGE_URL is set, else none.</summary>
    public static ITaskListener[] DefaultListeners() => OpenLineageEmitter.FromEnvironment() is { } ol ? [ol] : [];
}
