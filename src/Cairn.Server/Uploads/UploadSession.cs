namespace Cairn.Server.Uploads;

/// <summary>One file of an upload: its path relative to the upload's root ('/'-separated), its size and chunk count.</summary>
public sealed record UploadFile(string Path, long Size, int Chunks);

/// <summary>
/// An upload session as stored in its <c>session.json</c> (format version 1): the files announced, the chunk size, when it
/// was created and expires, the import task it became (null until then), and who started it: only that user may add to
/// it, read it, import it or abandon it (the id alone is not enough, so a leaked id cannot slip files into someone's import).
/// </summary>
public sealed record UploadSession(int Version, string Id, long ChunkSize, IReadOnlyList<UploadFile> Files, DateTime CreatedAt, DateTime ExpiresAt, long? TaskId, string Owner = "");
