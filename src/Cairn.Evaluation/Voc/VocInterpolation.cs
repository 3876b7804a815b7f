namespace Cairn.Evaluation.Voc;

/// <summary>How PASCAL VOC AP integrates the precision-recall curve.</summary>
public enum VocInterpolation
{
    /// <summary>VOC2007: mean of the interpolated precision at recall 0, 0.1, …, 1.</summary>
    ElevenPoint,

    /// <summary>VOC2010+: area under the monotone precision envelope at every recall change.</summary>
    AllPoint,
}
