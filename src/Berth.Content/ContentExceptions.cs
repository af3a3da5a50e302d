using Berth.Oci.Image;

namespace Berth.Content;

/// <summary>The closed set of content-store failures; the engine maps each kind once.</summary>
public abstract class ContentException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class ContentNotFoundException(Digest digest) : ContentException($"content {digest} not found")
{
    public Digest Digest { get; } = digest;
}

public sealed class ContentAlreadyExistsException(Digest digest) : ContentException($"content {digest} already exists")
{
    public Digest Digest { get; } = digest;
}

public sealed class IngestNotFoundException(string reference) : ContentException($"ingest ref \"{reference}\" not found")
{
    public string Reference { get; } = reference;
}

public sealed class IngestLockedException(string reference)
    : ContentException($"ingest ref \"{reference}\" is locked: another writer holds it")
{
    public string Reference { get; } = reference;
}

public sealed class DigestMismatchException(string reference, Digest expected, Digest actual)
    : ContentException($"ingest ref \"{reference}\": digest mismatch: expected {expected}, got {actual}")
{
    public string Reference { get; } = reference;
    public Digest Expected { get; } = expected;
    public Digest Actual { get; } = actual;
}

public sealed class SizeMismatchException(string reference, long expected, long actual)
    : ContentException($"ingest ref \"{reference}\": size mismatch: expected {expected} bytes, got {actual}")
{
    public string Reference { get; } = reference;
    public long Expected { get; } = expected;
    public long Actual { get; } = actual;
}
