namespace Cairn.Storage.Maintenance;

/// <summary>One problem fsck found: kind (corrupt, missing, damaged), the object id, who refers to it, and details.</summary>
public sealed record FsckProblem(string Kind, string ObjectId, string? ReferencedBy, string Detail);
