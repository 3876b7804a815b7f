using Cairn.Core.Ids;

namespace Cairn.Storage.Versions;

/// <summary>
/// Every version use case behind one object, for callers that need most of them (the server's version pages).
/// A caller that needs one use case takes its class: <see cref="VersionCreator"/>, <see cref="VersionBrowser"/>,
/// <see cref="VersionDiffer"/> or <see cref="VersionRestorer"/>.
/// </summary>
public sealed class VersionService(CairnStore store)
{
    private readonly VersionCreator _creator = new(store);
    private readonly VersionBrowser _browser = new(store);
    private readonly VersionDiffer _differ = new(store);
    private readonly VersionRestorer _restorer = new(store);

    /// <inheritdoc cref="VersionCreator.Create"/>
    public CreateVersionResult? Create(long projectId, string? title = null, string? description = null, string? author = null, long? createdByTaskId = null, CancellationToken ct = default) =>
        _creator.Create(projectId, title, description, author, createdByTaskId, ct);

    /// <inheritdoc cref="VersionCreator.WorkingSnapshot"/>
    public (ContentId RootId, VersionStats Stats)? WorkingSnapshot(long projectId, CancellationToken ct = default) => _creator.WorkingSnapshot(projectId, ct);

    /// <inheritdoc cref="VersionBrowser.List"/>
    public IReadOnlyList<VersionSummary> List(long projectId) => _browser.List(projectId);

    /// <inheritdoc cref="VersionBrowser.Get(long)"/>
    public VersionSummary? Get(long versionId) => _browser.Get(versionId);

    /// <inheritdoc cref="VersionBrowser.Get(long, int)"/>
    public VersionSummary? Get(long projectId, int number) => _browser.Get(projectId, number);

    /// <inheritdoc cref="VersionBrowser.Browse"/>
    public VersionPage Browse(VersionSummary version, string? dataset = null, long skip = 0, int take = 100) => _browser.Browse(version, dataset, skip, take);

    /// <inheritdoc cref="VersionBrowser.Find"/>
    public VersionMatches Find(VersionSummary version, Projects.ItemQuery query, long skip = 0, int take = 100) => _browser.Find(version, query, skip, take);

    /// <inheritdoc cref="VersionBrowser.MetaJson"/>
    public string MetaJson(VersionSummary version) => _browser.MetaJson(version);

    /// <summary>One item of a snapshot by dataset path and name, or null.</summary>
    public VersionItem? FindItem(ContentId root, string dataset, string name) => _browser.Find(root, dataset, name);

    /// <inheritdoc cref="VersionBrowser.ReadAll"/>
    public IEnumerable<VersionItem> ReadAll(VersionSummary version) => _browser.ReadAll(version);

    /// <inheritdoc cref="VersionDiffer.Diff(VersionSummary, VersionSummary, string, string)"/>
    public VersionDiff Diff(VersionSummary a, VersionSummary b, string fromLabel, string toLabel) => _differ.Diff(a, b, fromLabel, toLabel);

    /// <inheritdoc cref="VersionDiffer.Diff(ContentId, VersionStats, ContentId, VersionStats, string, string)"/>
    public VersionDiff Diff(ContentId rootA, VersionStats statsA, ContentId rootB, VersionStats statsB, string fromLabel, string toLabel) =>
        _differ.Diff(rootA, statsA, rootB, statsB, fromLabel, toLabel);

    /// <inheritdoc cref="VersionRestorer.Restore"/>
    public RestoreResult? Restore(VersionSummary version, string? name = null, IProgress<long>? progress = null, CancellationToken ct = default, string? restoredBy = null) =>
        _restorer.Restore(version, name, progress, ct, restoredBy);
}
