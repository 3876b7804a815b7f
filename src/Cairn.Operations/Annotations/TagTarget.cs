namespace Cairn.Operations.Annotations;

/// <summary>Where a tag op acts: image-level tags, label-level tags, or both.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<TagTarget>))]
public enum TagTarget
{
    /// <summary>Image tags.</summary>
    Image = 0,

    /// <summary>Label tags.</summary>
    Labels = 1,

    /// <summary>Both.</summary>
    Both = 2,
}
