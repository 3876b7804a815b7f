using Cairn.Core.Ids;

namespace Cairn.Storage.Objects;

/// <summary>A read-only stream that hashes what passes through and throws at the end when the content does not match its id.</summary>
public sealed class VerifyingStream(Stream inner, ContentId expected) : Stream
{
    private readonly ContentHasher _hasher = new();
    private bool _verified;

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => inner.Length;

    /// <inheritdoc/>
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        if (n > 0)
        {
            _hasher.Update(buffer[..n]);
        }
        else if (!_verified && buffer.Length > 0)
        {
            _verified = true;
            var actual = _hasher.Finish();
            if (actual != expected)
            {
                throw new CorruptObjectException(expected, actual);
            }
        }

        return n;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _hasher.Dispose();
        }

        base.Dispose(disposing);
    }
}
