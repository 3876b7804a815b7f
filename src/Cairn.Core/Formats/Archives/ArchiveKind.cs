namespace Cairn.Core.Formats.Archives;

/// <summary>The archive container recognised from a file's first bytes.</summary>
public enum ArchiveKind
{
    /// <summary>Not an archive Cairn reads.</summary>
    None = 0,

    /// <summary>A zip file.</summary>
    Zip = 1,

    /// <summary>A tar file.</summary>
    Tar = 2,

    /// <summary>A gzip-compressed tar file.</summary>
    TarGz = 3,
}
