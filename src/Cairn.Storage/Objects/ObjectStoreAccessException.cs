namespace Cairn.Storage.Objects;

/// <summary>Why a remote object store could not be used.</summary>
public enum ObjectStoreAccessProblem
{
    /// <summary>No credentials were found, or the server refused them (unknown key, bad signature, access denied).</summary>
    Credentials,

    /// <summary>The bucket does not exist at that endpoint.</summary>
    NoSuchBucket,

    /// <summary>The endpoint did not answer.</summary>
    Unreachable,
}

/// <summary>
/// A remote object store refused or could not be reached; the message names the endpoint and bucket, never a secret.
/// Fronts word the remedy (where credentials come from) with their own terms.
/// </summary>
public sealed class ObjectStoreAccessException(ObjectStoreAccessProblem problem, string endpoint, string bucket, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>What went wrong.</summary>
    public ObjectStoreAccessProblem Problem { get; } = problem;

    /// <summary>The endpoint requests went to.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>The bucket asked for.</summary>
    public string Bucket { get; } = bucket;
}
