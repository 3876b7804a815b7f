namespace Cairn.Server.Uploads;

/// <summary>One file of an upload: its path relative to the upload's root ('/'-separated), its size and chunk count.</summary>
public sealed record UploadFile(string Path, long Size, int Chunks);

/// <summary>
/// An upload session as stored in its <c>session.json</c> (format version 1): the files announced, the chunk size, when it
/// was created and expires, and the import task it became (null until then).
/// </summary>
public sealed record UploadSession(int Version, string Id, long ChunkSize, IReadOnlyList<UploadFile> Files, DateTime CreatedAt, DateTime ExpiresAt, long? TaskId);
