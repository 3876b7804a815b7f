using Cairn.Core.Model;

namespace Cairn.Inference;

/// <summary>The detections in one image, highest score first, with the image's key and original size.</summary>
public sealed record ImageDetections(string Key, int Width, int Height, IReadOnlyList<Detection> Detections)
{
    /// <summary>The detections as rectangle labels with confidence; <paramref name="classNames"/> is indexed by class index.</summary>
    public IReadOnlyList<Label> ToLabels(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var labels = new Label[Detections.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            var d = Detections[i];
            if ((uint)d.ClassIndex >= (uint)classNames.Count)
            {
                throw new ArgumentException(
                    $"Detection class index {d.ClassIndex} in image '{Key}' has no name: {classNames.Count} class names given.", nameof(classNames));
            }

            labels[i] = new Label(classNames[d.ClassIndex], new RectangleGeometry(d.Box), [], d.Score);
        }

        return labels;
    }

    /// <summary>The detections as an annotation of the original image size.</summary>
    public Annotation ToAnnotation(IReadOnlyList<string> classNames) => new(Width, Height, [], ToLabels(classNames));
}
