namespace Cairn.Evaluation.Coco;

/// <summary>
/// LVIS-style AP by class frequency (APr, APc, APf). LVIS puts a class in rare (1–10 training images), common
/// (11–100) or frequent (more than 100) and stores that as each category's <c>frequency</c>; where a category has
/// none, the images it appears in within the evaluated ground truth stand in for the training images.
/// </summary>
/// <param name="Source">"frequency field", "ground-truth image counts", or both when only some categories carry the field.</param>
/// <param name="Rare">APr.</param>
/// <param name="Common">APc.</param>
/// <param name="Frequent">APf.</param>
public sealed record FrequencyGroups(string Source, FrequencyGroup Rare, FrequencyGroup Common, FrequencyGroup Frequent)
{
    /// <summary>Wording of <see cref="Source"/> when every category carries LVIS's field.</summary>
    public const string FromField = "frequency field";

    /// <summary>Wording of <see cref="Source"/> when no category does.</summary>
    public const string FromImageCounts = "ground-truth image counts";

    /// <summary>The group of a class seen in <paramref name="images"/> images: 'r' up to 10, 'c' up to 100, else 'f'.</summary>
    public static char GroupOf(int images) => images <= 10 ? 'r' : images <= 100 ? 'c' : 'f';

    /// <summary>Groups the classes of <paramref name="result"/> and averages their AP.</summary>
    public static FrequencyGroups Compute(CocoDataset groundTruth, CocoEvalResult result)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(result);
        var k = groundTruth.Categories.Count;
        var seen = new HashSet<long>();
        var images = new int[k];
        for (var a = 0; a < groundTruth.Annotations.Count; a++)
        {
            if (seen.Add(((long)groundTruth.AnnCategory[a] << 32) | (uint)groundTruth.AnnImage[a]))
            {
                images[groundTruth.AnnCategory[a]]++;
            }
        }

        var fromField = 0;
        var sum = new double[3];
        var classes = new int[3];
        var withObjects = new int[3];
        for (var c = 0; c < k; c++)
        {
            var given = groundTruth.Categories[c].Frequency;
            fromField += given is null ? 0 : 1;
            var g = (given ?? GroupOf(images[c])) switch { 'r' => 0, 'c' => 1, _ => 2 };
            classes[g]++;
            var ap = result.CategoryAp(c);
            if (ap > -1)
            {
                sum[g] += ap;
                withObjects[g]++;
            }
        }

        var source = fromField == k ? FromField : fromField == 0 ? FromImageCounts : $"{FromField} ({fromField} classes), {FromImageCounts} ({k - fromField} classes)";
        FrequencyGroup Group(int g) => new(withObjects[g] == 0 ? -1 : sum[g] / withObjects[g], classes[g], withObjects[g]);
        return new FrequencyGroups(source, Group(0), Group(1), Group(2));
    }
}
