using System.Security.Cryptography;
using Berth.Oci.Image;

namespace Berth.Content;

/// <summary>
/// Hashes an ingest's bytes as they stream past and checks them against what the caller expected, so a commit
/// never re-reads the blob. Shared by every writer so they all fail the same way.
/// </summary>
internal sealed class DigestVerifier : IDisposable
{
    private readonly string _reference;
    private readonly IncrementalHash _hash;
    private readonly string _algorithm;

    public DigestVerifier(string reference, Digest? expected, long? expectedSize)
    {
        _reference = reference;
        Expected = expected;
        ExpectedSize = expectedSize;
        var name = expected is { } e ? ContentArguments.CheckDigest(e, "expected") : HashAlgorithmName.SHA256;
        _algorithm = expected?.Algorithm ?? "sha256";
        _hash = IncrementalHash.CreateHash(name);
    }

    public Digest? Expected { get; }
    public long? ExpectedSize { get; }
    public long Offset { get; private set; }

    /// <summary>Refuses bytes that would run past the expected size before anything is stored.</summary>
    public void CheckRoomFor(int count)
    {
        if (ExpectedSize is { } size && Offset + count > size) throw new SizeMismatchException(_reference, size, Offset + count);
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        Offset += data.Length;
    }

    /// <summary>The digest of everything appended; throws when it or the size is not what was expected.</summary>
    public Digest Verify()
    {
        if (ExpectedSize is { } size && Offset != size) throw new SizeMismatchException(_reference, size, Offset);
        var actual = Digest.FromHash(_algorithm, _hash.GetCurrentHash());
        if (Expected is { } expected && actual != expected) throw new DigestMismatchException(_reference, expected, actual);
        return actual;
    }

    public void Dispose() => _hash.Dispose();
}
