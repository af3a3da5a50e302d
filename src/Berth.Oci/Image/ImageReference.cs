using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Berth.Oci.Image;

/// <summary>
/// A Docker image reference, normalised as Docker does (the distribution <c>reference</c> grammar):
/// <c>busybox</c> is <c>docker.io/library/busybox</c>; a first component is a registry domain when it holds a <c>.</c> or
/// a <c>:</c>, is <c>localhost</c>, or has an upper-case letter. Tag and digest are both optional; <see cref="ToString"/>
/// is the full normalised form, <see cref="Familiar"/> the short form Docker prints.
/// </summary>
public sealed partial class ImageReference : IEquatable<ImageReference>
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";
    private const string LegacyDefaultDomain = "index.docker.io";
    private const string OfficialRepoPrefix = "library/";
    private const int NameMaxLength = 255;

    private ImageReference(string domain, string path, string? tag, Digest? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host (and port): <c>docker.io</c>, <c>localhost:5000</c>.</summary>
    public string Domain { get; }

    /// <summary>The repository path inside the registry: <c>library/busybox</c>.</summary>
    public string Path { get; }

    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary>The normalised repository name: <c>docker.io/library/busybox</c>.</summary>
    public string Name => Domain + "/" + Path;

    /// <summary>The repository name as Docker prints it: <c>busybox</c>, <c>user/app</c>, <c>localhost:5000/x</c>.</summary>
    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain) return Name;
            return Path.StartsWith(OfficialRepoPrefix, StringComparison.Ordinal) && Path.IndexOf('/', OfficialRepoPrefix.Length) < 0
                ? Path[OfficialRepoPrefix.Length..]
                : Path;
        }
    }

    /// <summary>The whole reference as Docker prints it: <c>busybox:latest</c>, <c>localhost:5000/x:y</c>.</summary>
    public string Familiar => FamiliarName + Suffix;

    public override string ToString() => Name + Suffix;

    private string Suffix => (Tag is null ? "" : ":" + Tag) + (Digest is { } d ? "@" + d : "");

    /// <summary>This reference with <c>:latest</c> when it has neither tag nor digest (Docker's TagNameOnly).</summary>
    public ImageReference WithDefaultTag() => Tag is null && Digest is null ? new(Domain, Path, DefaultTag, null) : this;

    /// <summary>Only the repository name and this tag.</summary>
    /// <exception cref="ImageReferenceException">the tag is not valid.</exception>
    public ImageReference WithTag(string tag) =>
        TagPattern().IsMatch(tag) ? new(Domain, Path, tag, null) : throw new ImageReferenceException("invalid tag format");

    /// <summary>Only the repository name and this digest.</summary>
    public ImageReference WithDigest(Digest digest) => new(Domain, Path, null, digest);

    /// <summary>The repository name alone, no tag nor digest.</summary>
    public ImageReference NameOnly() => new(Domain, Path, null, null);

    /// <summary>Parses and normalises <paramref name="value"/> (Docker's ParseNormalizedNamed); no tag is added.</summary>
    /// <exception cref="ImageReferenceException">Docker's message for why it is not a reference.</exception>
    public static ImageReference Parse(string value) =>
        TryParse(value, out var reference, out var error) ? reference : throw new ImageReferenceException(error);

    public static bool TryParse(string? value, [NotNullWhen(true)] out ImageReference? reference) =>
        TryParse(value, out reference, out _);

    public static bool TryParse(string? value, [NotNullWhen(true)] out ImageReference? reference, out string error)
    {
        reference = null;
        error = "invalid reference format";
        if (string.IsNullOrEmpty(value)) return false;
        if (AnchoredIdentifier().IsMatch(value))
        {
            error = $"invalid repository name ({value}), cannot specify 64-byte hexadecimal strings";
            return false;
        }
        var (domain, remainder) = SplitDomain(value);
        var tagSeparator = remainder.IndexOf(':');
        var remote = tagSeparator >= 0 ? remainder[..tagSeparator] : remainder;
        var at = remote.IndexOf('@');
        if (at >= 0) remote = remote[..at];
        if (!remote.Equals(remote.ToLowerInvariant(), StringComparison.Ordinal))
        {
            error = $"invalid reference format: repository name ({remote}) must be lowercase";
            return false;
        }
        var match = ReferencePattern().Match(domain + "/" + remainder);
        if (!match.Success) return false;
        var name = match.Groups["name"].Value;
        if (name.Length > NameMaxLength)
        {
            error = $"repository name must not be more than {NameMaxLength} characters";
            return false;
        }
        Digest? digest = null;
        if (match.Groups["digest"].Success)
        {
            if (!Image.Digest.TryParse(match.Groups["digest"].Value, out var parsed) || parsed.Algorithm is not ("sha256" or "sha512"))
            {
                error = "invalid reference format: invalid digest";
                return false;
            }
            digest = parsed;
        }
        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        reference = new ImageReference(domain, name[(domain.Length + 1)..], tag, digest);
        return true;
    }

    /// <summary>Whether <paramref name="value"/> is a valid tag (<c>[\w][\w.-]{0,127}</c>).</summary>
    public static bool IsValidTag(string value) => TagPattern().IsMatch(value);

    private static (string Domain, string Remainder) SplitDomain(string value)
    {
        var slash = value.IndexOf('/');
        string domain, remainder;
        if (slash < 0 || !LooksLikeDomain(value[..slash]))
            (domain, remainder) = (DefaultDomain, value);
        else
            (domain, remainder) = (value[..slash], value[(slash + 1)..]);
        if (domain == LegacyDefaultDomain) domain = DefaultDomain;
        if (domain == DefaultDomain && !remainder.Contains('/')) remainder = OfficialRepoPrefix + remainder;
        return (domain, remainder);
    }

    private static bool LooksLikeDomain(string first) =>
        first.AsSpan().IndexOfAny('.', ':') >= 0 || first == "localhost" || !first.Equals(first.ToLowerInvariant(), StringComparison.Ordinal);

    public bool Equals(ImageReference? other) => other is not null && ToString() == other.ToString();

    public override bool Equals(object? obj) => Equals(obj as ImageReference);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    // The grammar of distribution/reference, written out: path components of lower-case alphanumerics joined by
    // '.', '_', '__' or dashes; an optional domain (host names, IPv6 in brackets) with an optional port.
    private const string PathComponent = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string Host = "(?:" + DomainComponent + @"(?:\." + DomainComponent + @")*|\[[a-fA-F0-9:]+\])";
    private const string DomainAndPort = Host + "(?::[0-9]+)?";
    private const string TagText = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"; // Go's \w is ASCII only
    private const string DigestText = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    [GeneratedRegex("^(?<name>(?:" + DomainAndPort + "/)?" + PathComponent + "(?:/" + PathComponent + ")*)(?::(?<tag>" + TagText + "))?(?:@(?<digest>" + DigestText + "))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^" + TagText + "$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[a-f0-9]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex AnchoredIdentifier();
}

/// <summary>A string that is not an image reference; the message is Docker's.</summary>
public sealed class ImageReferenceException(string message) : FormatException(message);
