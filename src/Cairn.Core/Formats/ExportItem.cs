using Cairn.Core.Model;

namespace Cairn.Core.Formats;

/// <summary>One item to export: its dataset path, file name, a way to open the image bytes, and its annotation.</summary>
public sealed record ExportItem(string Dataset, string Name, Func<Stream> OpenImage, Annotation Annotation);
