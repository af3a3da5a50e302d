namespace Berth.Cli.Formatting;

/// <summary>
/// An image reference split as docker's <c>reference</c> package does: <c>[domain/]path[:tag][@digest]</c>, the
/// domain being the first component when it has a <c>.</c> or <c>:</c> or is <c>localhost</c>.
/// </summary>
internal sealed record ImageReference(string Domain, string Path, string? Tag, string? Digest)
{
    public const string DefaultDomain = "docker.io";

    /// <summary>Null when <paramref name="text"/> is not a valid name (e.g. upper case, or a bare 64-hex ID).</summary>
    public static ImageReference? TryParse(string text)
    {
        if (text.Length == 0 || text.Any(char.IsWhiteSpace))
            return null;
        string? digest = null;
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            digest = text[(at + 1)..];
            text = text[..at];
            if (!digest.Contains(':'))
                return null;
        }
        string? tag = null;
        var colon = text.LastIndexOf(':');
        if (colon > text.LastIndexOf('/'))
        {
            tag = text[(colon + 1)..];
            text = text[..colon];
            if (tag.Length == 0)
                return null;
        }
        var slash = text.IndexOf('/');
        string domain;
        string path;
        if (slash > 0 && (text[..slash].Contains('.') || text[..slash].Contains(':') || text[..slash] == "localhost"))
        {
            domain = text[..slash];
            path = text[(slash + 1)..];
        }
        else
        {
            domain = DefaultDomain;
            path = text;
        }
        if (path.Length == 0 || path.Any(char.IsUpper))
            return null;
        if (domain == DefaultDomain && !path.Contains('/'))
            path = "library/" + path;
        return new ImageReference(domain, path, tag, digest);
    }

    /// <summary><c>busybox</c> for <c>docker.io/library/busybox</c>; <c>localhost:5000/x</c> stays.</summary>
    public string FamiliarName => Domain == DefaultDomain
        ? Path.StartsWith("library/", StringComparison.Ordinal) && Path.Count(c => c == '/') == 1 ? Path["library/".Length..] : Path
        : Domain + "/" + Path;

    /// <summary>The familiar form with <c>:latest</c> added when neither tag nor digest was given (docker's TagNameOnly).</summary>
    public string FamiliarStringWithDefaultTag =>
        FamiliarName + (Tag is null && Digest is null ? ":latest" : Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>The tag or digest to ask a pull for: <c>latest</c> when neither was given.</summary>
    public string PullTag => Digest ?? Tag ?? "latest";
}
