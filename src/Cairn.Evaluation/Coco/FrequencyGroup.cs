namespace Cairn.Evaluation.Coco;

/// <summary>One LVIS frequency group: its mean AP and how many classes it holds.</summary>
/// <param name="Ap">Mean COCO AP (IoU .50:.95) over the group's classes that have objects; -1 when none has.</param>
/// <param name="Classes">Classes in the group.</param>
/// <param name="ClassesWithObjects">Of those, the classes with objects in the ground truth (the ones averaged).</param>
public sealed record FrequencyGroup(double Ap, int Classes, int ClassesWithObjects);
