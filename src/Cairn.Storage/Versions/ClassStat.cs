namespace Cairn.Storage.Versions;

/// <summary>How many labels of a class a version has, on how many images.</summary>
public readonly record struct ClassStat(long Labels, long Images);
