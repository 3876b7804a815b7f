namespace Cairn.Evaluation.Diagnostics;

/// <summary>True positives, false positives and false negatives, with the precision, recall and F1 they give (0 when undefined).</summary>
public readonly record struct OutcomeCounts(int Tp, int Fp, int Fn)
{
    /// <summary>TP / (TP + FP), 0 when there are no detections.</summary>
    public double Precision => Tp + Fp == 0 ? 0 : (double)Tp / (Tp + Fp);

    /// <summary>TP / (TP + FN), 0 when there is no ground truth.</summary>
    public double Recall => Tp + Fn == 0 ? 0 : (double)Tp / (Tp + Fn);

    /// <summary>Harmonic mean of precision and recall: 2TP / (2TP + FP + FN).</summary>
    public double F1 => Tp == 0 ? 0 : 2.0 * Tp / ((2.0 * Tp) + Fp + Fn);
}
