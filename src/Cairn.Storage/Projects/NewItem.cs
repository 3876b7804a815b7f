using Cairn.Core.Ids;
using Cairn.Core.Model;

namespace Cairn.Storage.Projects;

/// <summary>An item to add to a project's working state; the image is already in the object store.</summary>
public sealed record NewItem(string Dataset, string Name, ContentId ImageId, long ImageSize, Annotation Annotation);
