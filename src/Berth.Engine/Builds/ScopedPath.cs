namespace Berth.Engine.Builds;

/// <summary>
/// Paths resolved inside a tree as if its root were <c>/</c> (moby's FollowSymlinkInScope): <c>..</c> stops at the
/// root, an absolute link target starts again from the root, so no link leads out of it.
/// </summary>
internal static class ScopedPath
{
    private const int MaxLinks = 255;

    /// <summary>The path inside the tree that <paramref name="path"/> names (<c>""</c> for the root); the last component is followed only when asked.</summary>
    public static string Resolve(ISourceTree tree, string path, bool followLast = true)
    {
        var pending = new Stack<string>(Components(path).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var candidate = resolved.Count == 0 ? part : string.Join('/', resolved) + "/" + part;
            var target = (pending.Count > 0 || followLast) ? tree.LinkTarget(candidate) : null;
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxLinks) throw new Berth.Build.BuildException($"too many links resolving {path}");
            if (target.StartsWith('/')) resolved.Clear();
            foreach (var next in Components(target).Reverse()) pending.Push(next);
        }
        return string.Join('/', resolved);
    }

    /// <summary>The host path of <paramref name="path"/> inside the directory <paramref name="root"/>.</summary>
    public static string ResolveOnDisk(string root, string path) =>
        Resolve(new DiskTree(root), path) is { Length: > 0 } resolved ? Path.Combine(root, resolved) : root;

    /// <summary>The cleaned, relative form of a path: no empty or <c>.</c> components.</summary>
    public static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
}
