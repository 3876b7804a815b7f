namespace Cairn.Storage.Objects;

/// <summary>
/// Where an S3 object store lives: <c>s3://bucket/prefix?endpoint=URL&amp;region=NAME&amp;path-style=true</c>, and
/// optionally <c>presign=SECONDS</c> (the server then sends browsers to the bucket for images: <see cref="Presign"/>).
/// Holds no credentials (they come from the AWS chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, an
/// instance role), so its text can be recorded in a home and printed in messages.
/// </summary>
public sealed record S3StoreLocation(string Bucket, string Prefix, Uri? Endpoint, string Region, bool PathStyle, TimeSpan? Presign = null)
{
    /// <summary>The region used when none is given (an endpoint other than AWS's mostly ignores it, but signing needs one).</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>The shortest presigned-URL lifetime accepted, in seconds.</summary>
    public const int MinPresignSeconds = 60;

    /// <summary>The longest presigned-URL lifetime accepted, in seconds (S3's limit for Signature Version 4: 7 days).</summary>
    public const int MaxPresignSeconds = 7 * 24 * 3600;

    private static readonly string[] Known = ["endpoint", "region", "path-style", "presign"];

    /// <summary>
    /// True when both name the same objects (bucket, prefix, endpoint, region, addressing): <see cref="Presign"/> is how
    /// the server hands images out, not where they are, so a home may turn it on or off.
    /// </summary>
    public bool SameObjects(S3StoreLocation other) =>
        other is not null && (this with { Presign = null }).ToString() == (other with { Presign = null }).ToString();

    /// <summary>The canonical text: what a home records, and what two locations are compared by.</summary>
    public override string ToString()
    {
        var query = new List<string>();
        if (Endpoint is not null)
        {
            query.Add("endpoint=" + Endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        }

        query.Add("region=" + Region);
        query.Add("path-style=" + (PathStyle ? "true" : "false"));
        if (Presign is { } presign)
        {
            query.Add("presign=" + ((long)presign.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return $"s3://{Bucket}/{Prefix}?{string.Join('&', query)}";
    }

    /// <summary>Where requests go, for messages: the endpoint, or AWS's for the region.</summary>
    public string EndpointText => Endpoint?.GetLeftPart(UriPartial.Path).TrimEnd('/') ?? $"https://s3.{Region}.amazonaws.com";

    /// <summary>
    /// Parses a location; a clear error naming the part that is wrong otherwise (<paramref name="source"/> says where the
    /// text came from: the option, or the file the home recorded it in).
    /// </summary>
    public static S3StoreLocation Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string Expected = "expected s3://BUCKET/PREFIX?endpoint=http://HOST:PORT&region=us-east-1&path-style=true&presign=900 (endpoint, region, path-style and presign optional)";
        if (!text.StartsWith("s3://", StringComparison.Ordinal))
        {
            throw new FormatException($"{source}: '{text}' is not an S3 store location ({Expected}).");
        }

        var rest = text["s3://".Length..];
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? rest : rest[..q];
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        var prefix = slash < 0 ? string.Empty : path[(slash + 1)..].Trim('/');
        if (!IsBucketName(bucket))
        {
            throw new FormatException($"{source}: bucket '{bucket}' is not an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens) in '{text}'; {Expected}.");
        }

        if (prefix.Contains("//", StringComparison.Ordinal) || prefix.Contains('\\', StringComparison.Ordinal))
        {
            throw new FormatException($"{source}: prefix '{prefix}' has an empty part or a backslash; expected segments separated by single '/'.");
        }

        Uri? endpoint = null;
        var region = DefaultRegion;
        var pathStyle = false;
        TimeSpan? presign = null;
        foreach (var pair in q < 0 ? [] : rest[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key)
            {
                case "endpoint":
                    if (Uri.TryCreate(value, UriKind.Absolute, out endpoint) && !string.IsNullOrEmpty(endpoint.UserInfo))
                    {
                        // Not echoed: it holds a secret. Credentials come from the AWS chain.
                        throw new FormatException($"{source}: the endpoint has credentials in it (user:password@); expected an http:// or https:// URL without credentials (they come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile).");
                    }

                    if (endpoint is null || endpoint.Scheme is not ("http" or "https"))
                    {
                        throw new FormatException($"{source}: endpoint '{value}' is not an http:// or https:// URL without credentials (e.g. http://127.0.0.1:9000).");
                    }

                    break;
                case "region":
                    if (value.Length == 0 || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                    {
                        throw new FormatException($"{source}: region '{value}' is not a region name (e.g. us-east-1).");
                    }

                    region = value;
                    break;
                case "path-style":
                    if (!bool.TryParse(value, out pathStyle))
                    {
                        throw new FormatException($"{source}: path-style '{value}' is not true or false.");
                    }

                    break;
                case "presign":
                    if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                        || seconds is < MinPresignSeconds or > MaxPresignSeconds)
                    {
                        throw new FormatException($"{source}: presign '{value}' is not a number of seconds from {MinPresignSeconds} to {MaxPresignSeconds} (7 days, S3's limit), e.g. presign=900.");
                    }

                    presign = TimeSpan.FromSeconds(seconds);
                    break;
                default:
                    throw new FormatException($"{source}: unknown parameter '{key}' in '{text}'; expected one of {string.Join(", ", Known)}.");
            }
        }

        return new S3StoreLocation(bucket, prefix, endpoint, region, pathStyle, presign);
    }

    private static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && !name.Contains("..", StringComparison.Ordinal);
}
