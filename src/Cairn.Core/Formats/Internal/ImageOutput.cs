namespace Cairn.Core.Formats.Internal;

/// <summary>Copies an item's image bytes to its place in an export.</summary>
internal static class ImageOutput
{
    public static void Write(ExportItem item, string path, ExportOptions options)
    {
        if (!options.IncludeImages)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var input = item.OpenImage();
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920);
        input.CopyTo(output);
    }
}
