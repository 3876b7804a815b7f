using Cairn.Core.Formats;

namespace Cairn.Storage.Projects;

/// <summary>A dataset's annotations, read and not yet stored; owns the folder an archive was extracted to.</summary>
public sealed class ReadDataset(ImportFolder folder, ImportedProject project, TimeSpan elapsed) : IDisposable
{
    /// <summary>What the format reader found.</summary>
    public ImportedProject Project => project;

    /// <summary>How long reading took.</summary>
    public TimeSpan Elapsed => elapsed;

    /// <inheritdoc/>
    public void Dispose() => folder.Dispose();
}
