using System.Globalization;
using Berth.Api.Models;
using Berth.Api.Models.Images;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>
/// One <c>images</c> row (docker's <c>formatter.ImageContext</c>): an image appears once per repository:tag,
/// or once as <c>&lt;none&gt;:&lt;none&gt;</c> when untagged.
/// </summary>
internal sealed class ImageContext(ImageSummary image, string repository, string tag, string digest, bool truncate, TimeProvider clock) : ITemplateObject
{
    public const string DefaultTable = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public const string DefaultTableWithDigest = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

    public static readonly HeaderContext Headers = new(new Dictionary<string, string>
    {
        ["ID"] = "IMAGE ID", ["Repository"] = "REPOSITORY", ["Tag"] = "TAG", ["Digest"] = "DIGEST",
        ["CreatedSince"] = "CREATED", ["CreatedAt"] = "CREATED AT", ["Size"] = "SIZE", ["Containers"] = "CONTAINERS",
        ["VirtualSize"] = "VIRTUAL SIZE", ["SharedSize"] = "SHARED SIZE", ["UniqueSize"] = "UNIQUE SIZE",
    });

    private static readonly string[] Fields =
        ["Containers", "CreatedAt", "CreatedSince", "Digest", "ID", "Repository", "SharedSize", "Size", "Tag", "UniqueSize", "VirtualSize"];

    public IEnumerable<string> FieldNames => Fields;

    public string TypeName => "*formatter.ImageContext";

    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "ID" => truncate ? Text.TruncateId(image.Id) : image.Id,
            "Repository" => repository,
            "Tag" => tag,
            "Digest" => digest,
            "CreatedSince" => Text.Ago(DateTimeOffset.FromUnixTimeSeconds(image.Created), clock),
            "CreatedAt" => Text.GoTime(DateTimeOffset.FromUnixTimeSeconds(image.Created)),
            "Size" => Text.Size(image.Size),
            // docker's imageContext prints these three with go-units' HumanSize (4 significant digits), Size with 3.
            "VirtualSize" => HumanUnits.Size(image.Size),
            "SharedSize" => image.SharedSize == -1 ? "N/A" : HumanUnits.Size(image.SharedSize),
            "UniqueSize" => image.SharedSize == -1 ? "N/A" : HumanUnits.Size(image.Size - image.SharedSize),
            "Containers" => image.Containers == -1 ? "N/A" : image.Containers.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        return value is not null;
    }

    /// <summary>
    /// docker's rows for one image (<c>imageFormatTaggedAndDigest</c>): one per repository tag; with
    /// <paramref name="digests"/>, one per tag and digest; digest-only repositories get a <c>&lt;none&gt;</c> tag row;
    /// an image with neither is one <c>&lt;none&gt;</c> row.
    /// </summary>
    public static IEnumerable<ImageContext> Rows(ImageSummary image, bool truncate, bool digests, TimeProvider clock)
    {
        var tagged = image.RepoTags.Where(t => t != "<none>:<none>").ToList();
        var digested = image.RepoDigests.Where(d => d != "<none>@<none>").ToList();
        if (tagged.Count == 0 && digested.Count == 0)
        {
            yield return new ImageContext(image, "<none>", "<none>", "<none>", truncate, clock);
            yield break;
        }
        var repoTags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var repoDigests = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var t in tagged)
        {
            if (ImageReference.TryParse(t) is { Tag: { } tag } reference)
                Add(repoTags, reference.FamiliarName, tag);
        }
        foreach (var d in digested)
        {
            if (ImageReference.TryParse(d) is { Digest: { } digest } reference)
                Add(repoDigests, reference.FamiliarName, digest);
        }
        foreach (var (repo, tags) in repoTags)
        {
            var forRepo = repoDigests.Remove(repo, out var found) && digests ? found : [];
            foreach (var tag in tags)
            {
                if (forRepo.Count == 0)
                {
                    yield return new ImageContext(image, repo, tag, "<none>", truncate, clock);
                    continue;
                }
                foreach (var digest in forRepo)
                    yield return new ImageContext(image, repo, tag, digest, truncate, clock);
            }
        }
        foreach (var (repo, list) in repoDigests)
        {
            if (digests)
            {
                foreach (var digest in list)
                    yield return new ImageContext(image, repo, "<none>", digest, truncate, clock);
            }
            else
            {
                yield return new ImageContext(image, repo, "<none>", "", truncate, clock);
            }
        }
    }

    private static void Add(Dictionary<string, List<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var list))
            map[key] = list = [];
        list.Add(value);
    }
}
