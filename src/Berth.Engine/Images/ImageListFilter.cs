using System.Text.RegularExpressions;

namespace Berth.Engine.Images;

/// <summary>
/// Docker's <c>docker images</c> filters: <c>dangling</c> (untagged or not), <c>label</c> (every one given matches) and
/// <c>reference</c> (any one given matches). As in Docker, a reference filter lists only the matching tags and digests
/// of an image, and drops the images left with neither.
/// </summary>
internal sealed class ImageListFilter(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
{
    private readonly bool? _dangling = filters.GetValueOrDefault("dangling") is [var d, ..] ? d is "true" or "1" : null;
    private readonly IReadOnlyList<string> _references = filters.GetValueOrDefault("reference") ?? [];
    private readonly IReadOnlyList<string> _labels = filters.GetValueOrDefault("label") ?? [];

    public IReadOnlyList<ImageView> Apply(IEnumerable<ImageView> images) =>
    [
        .. images
            .Where(i => (_dangling is null || (i.RepoTags.Count == 0) == _dangling) && _labels.All(l => LabelFilter.Matches(i.Labels, l)))
            .Select(i => _references.Count == 0 ? i : i with
            {
                RepoTags = [.. i.RepoTags.Where(t => _references.Any(r => ReferenceMatches(t[..t.LastIndexOf(':')], t[(t.LastIndexOf(':') + 1)..], r)))],
                RepoDigests = [.. i.RepoDigests.Where(d => _references.Any(r => ReferenceMatches(d[..d.IndexOf('@')], null, r)))],
            })
            .Where(i => _references.Count == 0 || i.RepoTags.Count > 0 || i.RepoDigests.Count > 0),
    ];

    /// <summary>
    /// Docker's reference filter on one familiar reference: a pattern is a name, or name:tag (when a ':' follows its
    /// last '/': <c>127.0.0.1:5000/app</c> names a repository on a registry with a port), with shell-style '*' in
    /// either part.
    /// </summary>
    private static bool ReferenceMatches(string name, string? tag, string pattern)
    {
        var tagged = pattern.LastIndexOf(':') > pattern.LastIndexOf('/');
        if (tagged && tag is null) return false;
        var regex = "^" + Regex.Escape(pattern).Replace("\\*", "[^/]*") + "$";
        return Regex.IsMatch(tagged ? $"{name}:{tag}" : name, regex);
    }
}
