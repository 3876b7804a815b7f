namespace Cairn.Tasks;

/// <summary>How far a task is: a fraction in [0, 1] and what it is doing.</summary>
public readonly record struct TaskProgress(double Fraction, string? Message);
