namespace Cairn.Operations.Split;

/// <summary>What a split writes: each item moves into a dataset named after its part, or gets an image tag with the part's name.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SplitTarget>))]
public enum SplitTarget
{
    /// <summary>Move items into datasets named after the parts (the original dataset path is kept under it: <c>train/city</c>).</summary>
    Datasets = 0,

    /// <summary>Keep datasets; add an image tag named after the part.</summary>
    Tags = 1,
}
