using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Berth.Oci.Image;

/// <summary>A content digest, <c>algorithm:encoded</c> (image-spec <c>descriptor.md</c>); only sha256 and sha512 are verifiable.</summary>
public readonly partial record struct Digest
{
    public string Algorithm { get; }
    public string Encoded { get; }

    private Digest(string algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    public override string ToString() => $"{Algorithm}:{Encoded}";

    public static Digest Parse(string value) =>
        TryParse(value, out var digest) ? digest : throw new FormatException($"invalid digest \"{value}\"");

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (value is null) return false;
        var match = Grammar().Match(value);
        if (!match.Success) return false;
        var algorithm = match.Groups[1].Value;
        var encoded = match.Groups[2].Value;
        var expectedLength = algorithm switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (expectedLength != -1 && (encoded.Length != expectedLength || !IsLowerHex(encoded))) return false;
        digest = new Digest(algorithm, encoded);
        return true;
    }

    public static Digest Sha256(ReadOnlySpan<byte> content) =>
        new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    public static async Task<Digest> Sha256Async(Stream content, CancellationToken cancellationToken = default) =>
        new("sha256", Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancellationToken)));

    public static Digest FromHash(string algorithm, byte[] hash) => new(algorithm, Convert.ToHexStringLower(hash));

    private static bool IsLowerHex(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    [GeneratedRegex("^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$")]
    private static partial Regex Grammar();
}
