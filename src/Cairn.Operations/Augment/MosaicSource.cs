using Cairn.Core.Model;
using Cairn.Operations.Imaging;

namespace Cairn.Operations.Augment;

/// <summary>
/// The items mosaic may draw from: <see cref="Count"/> items fetched by index. The index comes from the
/// output's own generator, so which items are used does not depend on thread scheduling.
/// </summary>
public sealed record MosaicSource(int Count, Func<int, (RgbaImage Image, Annotation Annotation)> Fetch);
