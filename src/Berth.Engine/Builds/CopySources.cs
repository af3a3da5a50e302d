using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Berth.Build;
using Berth.Dockerfile;
using Berth.Linux;
using Berth.Snapshots;

namespace Berth.Engine.Builds;

/// <summary>One COPY/ADD source, resolved: its host path and the relative name the cache and the copy know it by.</summary>
internal sealed record CopyItem(string HostPath, string Name, FileStatus Status)
{
    public bool IsDirectory => Status.Kind == FileKind.Directory;
}

/// <summary>
/// COPY and ADD sources as moby's legacy builder takes them: paths or Go globs relative to a root (the context, or a
/// stage's filesystem), resolved inside it; a source's own link is followed, links inside a copied directory are
/// copied as links; what <c>.dockerignore</c> excludes is not there. The cache key hashes names, kinds, modes, sizes,
/// link targets and contents, not times.
/// </summary>
internal static class CopySources
{
    /// <exception cref="BuildException">a source that matches nothing.</exception>
    public static List<CopyItem> Resolve(string root, IReadOnlyList<string> sources, DockerIgnore? ignore, string keyword)
    {
        var items = new List<CopyItem>();
        foreach (var source in sources)
        {
            var clean = string.Join('/', ScopedPath.Components(source));
            var matched = GoGlob.HasMeta(clean) ? Glob(root, clean, ignore) : Single(root, clean, ignore);
            if (matched.Count == 0)
                throw new BuildException($"{keyword} failed: file not found in build context or excluded by .dockerignore: stat {source}: file does not exist");
            items.AddRange(matched);
        }
        return items;
    }

    /// <summary><c>file:&lt;hex&gt;</c> for one file, <c>dir:&lt;hex&gt;</c> for one directory, <c>multi:&lt;hex&gt;</c> for several sources.</summary>
    public static string Hash(IReadOnlyList<CopyItem> items, DockerIgnore? ignore)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var item in items)
        {
            Add(hash, item.Name, item.HostPath, item.Status);
            if (item.IsDirectory)
                foreach (var (relative, status) in Contents(item, ignore))
                    Add(hash, item.Name + "/" + relative, Path.Combine(item.HostPath, relative), status);
        }
        var hex = Convert.ToHexStringLower(hash.GetHashAndReset());
        return items.Count > 1 ? $"multi:{hex}" : items[0].IsDirectory ? $"dir:{hex}" : $"file:{hex}";
    }

    /// <summary>The entries under a copied directory that are not excluded, parents first.</summary>
    public static IEnumerable<(string Relative, FileStatus Status)> Contents(CopyItem item, DockerIgnore? ignore) =>
        FileTree.Walk(item.HostPath).Where(e => ignore is null || !ignore.Excludes(item.Name + "/" + e.Relative));

    private static List<CopyItem> Single(string root, string name, DockerIgnore? ignore)
    {
        if (name.Length > 0 && ignore is not null && ignore.Excludes(name)) return [];
        var host = ScopedPath.Resolve(root, name);
        return FileStatus.TryGet(host) is { } status ? [new CopyItem(host, name, status)] : [];
    }

    private static List<CopyItem> Glob(string root, string pattern, DockerIgnore? ignore)
    {
        var regex = GoGlob.ToRegex(pattern);
        if (regex is null) return [];
        return [.. FileTree.Walk(root)
            .Where(e => regex.IsMatch(e.Relative) && (ignore is null || !ignore.Excludes(e.Relative)))
            .Select(e => Single(root, e.Relative, null))
            .SelectMany(s => s)];
    }

    private static void Add(IncrementalHash hash, string name, string host, FileStatus status)
    {
        var line = $"{name}\0{(int)status.Kind}\0{status.Permissions}\0{status.Size}\0";
        if (status.Kind == FileKind.Symlink) line += new FileInfo(host).LinkTarget;
        hash.AppendData(Encoding.UTF8.GetBytes(line));
        if (status.Kind != FileKind.Regular) return;
        using var file = File.OpenRead(host);
        hash.AppendData(SHA256.HashData(file));
    }
}
