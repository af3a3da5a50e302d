using System.Text;
using System.Text.RegularExpressions;
using Berth.Oci.Image;

namespace Berth.Engine.Images;

/// <summary>
/// Docker's <c>docker images</c> filters (moby <c>daemon/containerd/image_list.go</c>): <c>dangling</c>,
/// <c>label</c> and <c>label!</c> (every one given holds), <c>before</c>/<c>since</c> (created before or after an
/// image named by reference or id), <c>until</c> (created before a time) and <c>reference</c> (any one given matches).
/// As in Docker, a reference filter lists only the matching tags and digests of an image, and drops the images left
/// with neither. A bad key or value is refused at construction, with moby's message.
/// </summary>
internal sealed class ImageListFilter
{
    private static readonly string[] Keys = ["dangling", "label", "label!", "before", "since", "reference", "until"];

    private readonly bool? _dangling;
    /// <summary>The <c>reference</c> patterns; a malformed one (null) matches nothing.</summary>
    private readonly IReadOnlyList<Regex?> _references;
    private readonly List<LabelCheck> _labels = [];
    private readonly IReadOnlyList<string> _before;
    private readonly IReadOnlyList<string> _since;
    private readonly List<DateTimeOffset> _until = [];

    public ImageListFilter(IReadOnlyDictionary<string, IReadOnlyList<string>> filters, DateTimeOffset? now = null)
    {
        FilterArgs.Validate(filters, Keys);
        _dangling = FilterArgs.Bool(filters, "dangling");
        _references = [.. (filters.GetValueOrDefault("reference") ?? []).Select(GoPathPattern.ToRegex)];
        _before = filters.GetValueOrDefault("before") ?? [];
        _since = filters.GetValueOrDefault("since") ?? [];
        foreach (var value in filters.GetValueOrDefault("until") ?? [])
        {
            try
            {
                _until.Add(GoTimestamp.Parse(value, now ?? DateTimeOffset.Now));
            }
            catch (EngineException e)
            {
                throw new EngineException(ErrorKind.InvalidArgument, $"invalid value for 'until' filter: {e.Message}", e);
            }
        }
        foreach (var key in (string[])["label", "label!"])
            foreach (var value in filters.GetValueOrDefault(key) ?? [])
                _labels.Add(LabelCheck.Parse(value, negate: key == "label!"));
    }

    /// <exception cref="EngineException">NotFound (<c>No such image: x</c>) when <c>before</c>/<c>since</c> names no image.</exception>
    public IReadOnlyList<ImageView> Apply(IReadOnlyList<ImageView> images)
    {
        var before = _before.Select(r => Find(images, r).Created).ToList();
        var since = _since.Select(r => Find(images, r).Created).ToList();
        return
        [
            .. images
                .Where(i => (_dangling is null || (i.RepoTags.Count == 0 && !i.HasChildren) == _dangling)
                    && _labels.All(l => l.Holds(i.Labels))
                    && before.All(t => i.Created < t) && since.All(t => i.Created > t) && _until.All(t => i.Created < t))
                .Select(i => _references.Count == 0 ? i : i with
                {
                    RepoTags = [.. i.RepoTags.Where(ReferenceMatches)],
                    RepoDigests = [.. i.RepoDigests.Where(ReferenceMatches)],
                })
                .Where(i => _references.Count == 0 || i.RepoTags.Count > 0 || i.RepoDigests.Count > 0),
        ];
    }

    /// <summary>
    /// moby's reference filter on one tag or digest: a shell pattern (Go's <c>path.Match</c>: <c>*</c> and <c>?</c>
    /// stay within a path component) against its familiar and its canonical forms, each with and without its tag.
    /// </summary>
    private bool ReferenceMatches(string reference)
    {
        if (!ImageReference.TryParse(reference, out var parsed)) return false;
        string[] targets = [parsed.Familiar, parsed.FamiliarName, parsed.WithDefaultTag().ToString(), parsed.Name];
        return _references.Any(regex => regex is not null && targets.Any(regex.IsMatch));
    }

    /// <summary>The image <paramref name="reference"/> names: a tag or digest reference, an id, or a unique id prefix.</summary>
    private static ImageView Find(IReadOnlyList<ImageView> images, string reference)
    {
        var id = reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference : "sha256:" + reference;
        if (images.FirstOrDefault(i => i.Id == id) is { } byId) return byId;
        if (ImageReference.TryParse(reference, out var parsed))
        {
            var familiar = parsed.WithDefaultTag().Familiar;
            if (images.FirstOrDefault(i => i.RepoTags.Contains(familiar) || i.RepoDigests.Contains(familiar)) is { } byName) return byName;
        }
        if (reference.Length > 0 && id[7..].All(char.IsAsciiHexDigitLower) && images.Where(i => i.Id.StartsWith(id, StringComparison.Ordinal)).ToList() is [var byPrefix])
            return byPrefix;
        throw new EngineException(ErrorKind.NotFound, $"No such image: {reference}");
    }

    /// <summary>
    /// One <c>label</c> or <c>label!</c> value: <c>k</c> (present), <c>k=v</c> (has this value); <c>label!</c> and a
    /// key ending in <c>!</c> (<c>k!=v</c>) each turn the check round.
    /// </summary>
    private sealed record LabelCheck(string Key, string? Value, bool Negate)
    {
        public static LabelCheck Parse(string filter, bool negate)
        {
            var eq = filter.IndexOf('=');
            var (key, value) = eq < 0 ? (filter, null) : (filter[..eq], filter[(eq + 1)..]);
            return key.EndsWith('!') ? new(key[..^1], value, !negate) : new(key, value, negate);
        }

        public bool Holds(IReadOnlyDictionary<string, string> labels)
        {
            var exists = labels.TryGetValue(Key, out var actual);
            if (Value is null || !exists) return exists != Negate;
            return (actual == Value) != Negate;
        }
    }
}

/// <summary>Go's <c>path.Match</c> patterns, as anchored regular expressions (null for a malformed pattern, which matches nothing).</summary>
internal static class GoPathPattern
{
    public static Regex? ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '*': regex.Append("[^/]*"); break;
                case '?': regex.Append("[^/]"); break;
                case '\\':
                    if (++i == pattern.Length) return null;
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                case '[':
                    if (Class(pattern, ref i) is not { } cls) return null;
                    regex.Append(cls);
                    break;
                default: regex.Append(Regex.Escape(pattern[i].ToString())); break;
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    /// <summary>
    /// <c>[^a-z\]]</c>: one character or range at least, '\' escaping; <paramref name="i"/> starts on the opening
    /// bracket and ends on the closing one. A range written backwards matches nothing, as in Go.
    /// </summary>
    private static string? Class(string pattern, ref int i)
    {
        var negated = ++i < pattern.Length && pattern[i] == '^';
        if (negated) i++;
        var ranges = new StringBuilder();
        for (var count = 0; ; count++)
        {
            if (i < pattern.Length && pattern[i] == ']' && count > 0)
                return ranges.Length > 0 ? $"[{(negated ? "^" : "")}{ranges}]" : negated ? "[\\s\\S]" : "(?!)";
            if (ClassChar(pattern, ref i) is not { } lo) return null;
            var hi = lo;
            if (pattern[i] == '-')
            {
                i++;
                if (ClassChar(pattern, ref i) is not { } upper) return null;
                hi = upper;
            }
            if (lo <= hi) ranges.Append($"\\u{(int)lo:x4}-\\u{(int)hi:x4}");
        }
    }

    /// <summary>Go's <c>getEsc</c>: one class character, unescaped; null where the pattern is malformed (the class must go on after it).</summary>
    private static char? ClassChar(string pattern, ref int i)
    {
        if (i >= pattern.Length || pattern[i] is '-' or ']') return null;
        if (pattern[i] == '\\' && ++i >= pattern.Length) return null;
        var c = pattern[i++];
        return i < pattern.Length ? c : null;
    }
}
