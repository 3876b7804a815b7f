namespace Cairn.Client;

/// <summary>The server refused a request; the message carries its problem detail.</summary>
public sealed class CairnClientException(string message, int statusCode) : Exception(message)
{
    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; } = statusCode;
}
