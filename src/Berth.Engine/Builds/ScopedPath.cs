namespace Berth.Engine.Builds;

/// <summary>
/// Paths resolved inside a root directory as if it were <c>/</c> (moby's FollowSymlinkInScope): <c>..</c> stops at the
/// root, an absolute link target starts again from the root, so no link leads out of it. Used on directories the build
/// owns (its context, a stage's root it mounted), where nothing else changes them meanwhile.
/// </summary>
internal static class ScopedPath
{
    private const int MaxLinks = 255;

    /// <summary>The host path of <paramref name="path"/> in <paramref name="root"/>; the last component is followed only when asked.</summary>
    public static string Resolve(string root, string path, bool followLast = true)
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
            var host = Path.Combine(root, string.Join('/', resolved), part);
            var target = (pending.Count > 0 || followLast) ? new FileInfo(host).LinkTarget : null;
            if (target is null)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > MaxLinks) throw new Berth.Build.BuildException($"too many links resolving {path}");
            if (target.StartsWith('/')) resolved.Clear();
            foreach (var next in Components(target).Reverse()) pending.Push(next);
        }
        return resolved.Count == 0 ? root : Path.Combine(root, string.Join('/', resolved));
    }

    /// <summary>The cleaned, relative form of a path: no empty or <c>.</c> components.</summary>
    public static IEnumerable<string> Components(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
}
