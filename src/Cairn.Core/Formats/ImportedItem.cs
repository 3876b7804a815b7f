using Cairn.Core.Model;

namespace Cairn.Core.Formats;

/// <summary>One image found by a reader: its dataset path ("train/city"), file name, absolute image path (checked to be inside the import root) and annotation.</summary>
public sealed record ImportedItem(string Dataset, string Name, string ImagePath, Annotation Annotation);
