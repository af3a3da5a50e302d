using System.Security.Cryptography;
using Berth.Oci.Image;

namespace Berth.Content;

/// <summary>Argument checks shared by every store, so all of them reject the same input the same way.</summary>
internal static class ContentArguments
{
    private const int MaxReferenceLength = 1024;

    /// <summary>A ref names an ingest; it must never be usable as a path (stores hash it, but refuse traps anyway).</summary>
    public static void CheckReference(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Length == 0 || reference.Length > MaxReferenceLength)
            throw new ArgumentException($"ingest ref must be 1 to {MaxReferenceLength} characters", nameof(reference));
        if (reference is "." or ".." || reference.AsSpan().IndexOfAny('/', '\\') >= 0 || reference.Any(char.IsControl))
            throw new ArgumentException($"ingest ref \"{reference}\" must not contain path separators or control characters", nameof(reference));
    }

    /// <summary>Only digests whose algorithm we can verify are stored (a default <see cref="Digest"/> is refused).</summary>
    public static HashAlgorithmName CheckDigest(Digest digest, string parameterName = "digest") => digest.Algorithm switch
    {
        "sha256" => HashAlgorithmName.SHA256,
        "sha512" => HashAlgorithmName.SHA512,
        null => throw new ArgumentException("digest is empty", parameterName),
        _ => throw new ArgumentException($"unsupported digest algorithm in \"{digest}\"", parameterName),
    };

    /// <summary>Everything a writer is opened with, checked before any ingest state is touched.</summary>
    public static void CheckWriter(string reference, Digest? expected, long? expectedSize)
    {
        CheckReference(reference);
        if (expected is { } digest) CheckDigest(digest, nameof(expected));
        if (expectedSize < 0) throw new ArgumentOutOfRangeException(nameof(expectedSize), expectedSize, "expected size must not be negative");
    }
}
