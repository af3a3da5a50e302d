using System.Security.Cryptography;
using System.Text;
using Berth.Build;
using Berth.Dockerfile;
using Berth.Linux;

namespace Berth.Engine.Builds;

/// <summary>
/// One COPY/ADD source, resolved: <see cref="Path"/> is where it is in its <see cref="Tree"/> (a source's own link followed),
/// <see cref="Name"/> what the Dockerfile called it (its last component names the copy inside a directory).
/// </summary>
internal sealed record CopyItem(ISourceTree Tree, string Path, string Name, FileStatus Status)
{
    public bool IsDirectory => Status.Kind == FileKind.Directory;
}

/// <summary>
/// COPY and ADD sources as moby's legacy builder takes them: paths or Go globs in a tree (the context, or a stage's
/// filesystem), resolved inside it; links inside a copied directory stay links; what <c>.dockerignore</c> excludes is
/// not there. The cache key hashes names, kinds, modes, sizes, link targets and contents, not times.
/// </summary>
internal static class CopySources
{
    /// <exception cref="BuildException">a source that matches nothing.</exception>
    public static List<CopyItem> Resolve(ISourceTree tree, IReadOnlyList<string> sources, DockerIgnore? ignore, string keyword)
    {
        var items = new List<CopyItem>();
        foreach (var source in sources)
        {
            var clean = string.Join('/', ScopedPath.Components(source));
            var matched = GoGlob.HasMeta(clean) ? Glob(tree, clean, ignore) : Single(tree, clean, ignore);
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
            Add(item.Tree, hash, item.Name, item.Path, item.Status);
            if (item.IsDirectory)
                foreach (var (relative, status) in Contents(item, ignore))
                    Add(item.Tree, hash, item.Name + "/" + relative, SourceTree.Join(item.Path, relative), status);
        }
        var hex = Convert.ToHexStringLower(hash.GetHashAndReset());
        return items.Count > 1 ? $"multi:{hex}" : items[0].IsDirectory ? $"dir:{hex}" : $"file:{hex}";
    }

    /// <summary>The entries under a copied directory that are not excluded, parents first.</summary>
    public static IEnumerable<(string Relative, FileStatus Status)> Contents(CopyItem item, DockerIgnore? ignore) =>
        SourceTree.Walk(item.Tree, item.Path).Where(e => ignore is null || !ignore.Excludes(SourceTree.Join(item.Path, e.Relative)));

    private static List<CopyItem> Single(ISourceTree tree, string name, DockerIgnore? ignore)
    {
        if (name.Length > 0 && ignore is not null && ignore.Excludes(name)) return [];
        var path = ScopedPath.Resolve(tree, name);
        return tree.Stat(path) is { } status ? [new CopyItem(tree, path, name, status)] : [];
    }

    private static List<CopyItem> Glob(ISourceTree tree, string pattern, DockerIgnore? ignore)
    {
        if (GoGlob.ToRegex(pattern) is not { } regex) return [];
        return [.. SourceTree.Walk(tree, "")
            .Where(e => regex.IsMatch(e.Relative) && (ignore is null || !ignore.Excludes(e.Relative)))
            .SelectMany(e => Single(tree, e.Relative, null))];
    }

    private static void Add(ISourceTree tree, IncrementalHash hash, string name, string path, FileStatus status)
    {
        var line = $"{name}\0{(int)status.Kind}\0{status.Permissions}\0{status.Size}\0";
        if (status.Kind == FileKind.Symlink) line += tree.LinkTarget(path);
        hash.AppendData(Encoding.UTF8.GetBytes(line));
        if (status.Kind == FileKind.Regular) hash.AppendData(tree.ContentHash(path));
    }
}
