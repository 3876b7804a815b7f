using Cairn.Core.Formats;

namespace Cairn.Storage.Projects;

/// <summary>A dataset's annotations, read and not yet stored; owns the folder an archive was extracted to.</summary>
public sealed class ReadDataset(ImportFolder folder, ImportedProject project, ImportLimits limits, TimeSpan elapsed) : IDisposable
{
    /// <summary>What the format reader found.</summary>
    public ImportedProject Project => project;

    /// <summary>The limits the read was made under, which storing the images keeps to as well.</summary>
    public ImportLimits Limits => limits;

    /// <summary>How long reading took.</summary>
    public TimeSpan Elapsed => elapsed;

    /// <summary>A path under the import folder as errors name it: relative, '/'-separated.</summary>
    public string Relative(string path) => Path.GetRelativePath(folder.Root, path).Replace('\\', '/');

    /// <inheritdoc/>
    public void Dispose() => folder.Dispose();
}
