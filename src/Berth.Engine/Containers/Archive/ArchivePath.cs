namespace Berth.Engine.Containers.Archive;

/// <summary>
/// A path as the archive endpoints take it, read as moby does: joined to <c>/</c> and cleaned (<c>..</c> lexically),
/// with a trailing <c>/</c> or <c>/.</c> kept in meaning. A trailing <c>/.</c> stands for a directory's contents
/// (<c>docker cp ctr:/dir/. out</c>), so its tar entries are named <c>./…</c>; either trailing form, and the root,
/// follow a last link, as the kernel does for <c>link/</c>.
/// </summary>
internal sealed record ArchivePath(string Original, string Clean, bool FollowLast, string StatName, string TarName)
{
    public static ArchivePath Parse(string path)
    {
        if (string.IsNullOrEmpty(path)) throw new EngineException(ErrorKind.InvalidArgument, "path is required");
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        var contents = path == "." || path.EndsWith("/.", StringComparison.Ordinal);
        var followLast = contents || path.EndsWith('/') || parts.Count == 0;
        var statName = contents ? "." : parts.Count == 0 ? "/" : parts[^1];
        return new ArchivePath(path, "/" + string.Join('/', parts), followLast, statName, contents || parts.Count == 0 ? "." : parts[^1]);
    }
}
