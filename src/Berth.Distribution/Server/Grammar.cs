using System.Text.RegularExpressions;
using Berth.Oci.Image;

namespace Berth.Distribution.Server;

/// <summary>The distribution spec's grammars for repository names, tags and upload ids, checked once at the edge.</summary>
public static partial class Grammar
{
    /// <summary>distribution's limit on a repository name's length.</summary>
    public const int MaxNameLength = 255;

    public static bool IsName(string name) => name.Length <= MaxNameLength && NameRegex().IsMatch(name);

    public static bool IsTag(string tag) => TagRegex().IsMatch(tag);

    public static bool IsUploadId(string id) => Guid.TryParseExact(id, "D", out _);

    public static void RequireName(string name)
    {
        if (!IsName(name)) throw new RegistryException(ErrorCode.NameInvalid, $"invalid repository name \"{Truncate(name)}\"");
    }

    /// <summary>Parses a digest the registry can verify (sha256, sha512), or throws DIGEST_INVALID.</summary>
    public static Digest RequireDigest(string? value)
    {
        if (!Digest.TryParse(value, out var digest) || digest.Algorithm is not ("sha256" or "sha512"))
            throw new RegistryException(ErrorCode.DigestInvalid, $"invalid or unsupported digest \"{Truncate(value ?? "")}\"");
        return digest;
    }

    private static string Truncate(string value) => value.Length > 300 ? value[..300] + "…" : value;

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex NameRegex();

    [GeneratedRegex("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$")]
    private static partial Regex TagRegex();
}
