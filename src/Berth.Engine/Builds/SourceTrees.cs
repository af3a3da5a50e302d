using System.Security.Cryptography;
using Berth.Linux;
using Berth.Snapshots;

namespace Berth.Engine.Builds;

/// <summary>
/// A tree COPY sources are read from, by paths relative to its root (never starting with <c>/</c>; <c>""</c> is the
/// root): the build context as its tar listed it, or a directory on disk (a stage's mounted filesystem).
/// </summary>
internal interface ISourceTree
{
    /// <summary>What the name is, without following a final link; null when it does not exist.</summary>
    FileStatus? Stat(string path);

    /// <summary>A symlink's target, or null when the name is not a symlink.</summary>
    string? LinkTarget(string path);

    /// <summary>The names in a directory, sorted ordinally.</summary>
    IEnumerable<string> Children(string path);

    /// <summary>The SHA-256 of a regular file's content.</summary>
    byte[] ContentHash(string path);
}

internal static class SourceTree
{
    /// <summary>Every entry under <paramref name="path"/> (not itself), parents first, relative to it.</summary>
    public static IEnumerable<(string Relative, FileStatus Status)> Walk(ISourceTree tree, string path, string relative = "")
    {
        foreach (var name in tree.Children(Join(path, relative)))
        {
            var child = relative.Length == 0 ? name : relative + "/" + name;
            if (tree.Stat(Join(path, child)) is not { } status) continue;
            yield return (child, status);
            if (status.Kind == FileKind.Directory)
                foreach (var nested in Walk(tree, path, child)) yield return nested;
        }
    }

    public static string Join(string path, string relative) => path.Length == 0 ? relative : relative.Length == 0 ? path : path + "/" + relative;
}

/// <summary>A directory on disk as a source tree.</summary>
internal sealed class DiskTree(string root) : ISourceTree
{
    public string Root { get; } = root;

    public FileStatus? Stat(string path) => FileStatus.TryGet(Host(path));

    public string? LinkTarget(string path) => new FileInfo(Host(path)).LinkTarget;

    public IEnumerable<string> Children(string path) => FileTree.Children(Host(path));

    public byte[] ContentHash(string path)
    {
        using var file = File.OpenRead(Host(path));
        return SHA256.HashData(file);
    }

    private string Host(string path) => path.Length == 0 ? Root : Path.Combine(Root, path);
}
