using Cairn.Core.Model;

namespace Cairn.Inference;

/// <summary>One detected object: class index into the model's classes, score in [0, 1], box in original image pixels.</summary>
public readonly record struct Detection(int ClassIndex, float Score, BoxD Box);
