using Cairn.Core.Model;

namespace Cairn.Operations.Tests.Items;

/// <summary>Builds item records with boxes of the given classes.</summary>
internal static class ItemBuilder
{
    public static ItemRecord Item(string name, params string[] classes) => ItemIn("ds", name, $"img-{name}", classes);

    public static ItemRecord ItemIn(string dataset, string name, string imageId, params string[] classes) =>
        new(dataset, name, imageId, 640, 480, new Annotation(640, 480, [], classes.Select(c => new Label(c, new RectangleGeometry(new BoxD(0, 0, 10, 10)))).ToList()));
}
