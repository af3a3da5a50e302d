namespace Berth.Cli.Commands.Container;

/// <summary>A local source as <c>cp</c> archives it: its path, whether it is a directory, and the name its tar starts with.</summary>
internal sealed record LocalSource(string Path, bool IsDirectory, string Base);

/// <summary>
/// docker cp's path rules (moby's archive CopyInfo, SplitPathDirEntry, PrepareArchiveCopy): a trailing <c>/</c> or
/// <c>/.</c> kept in meaning, <c>CONTAINER:PATH</c> told from a local path, and where a copy lands.
/// </summary>
internal static class CopyPaths
{
    private const uint GoDir = 1u << 31, GoSymlink = 1u << 27, GoTypeBits = 0x8F280000u;

    public static bool IsDirectory(uint mode) => (mode & GoDir) != 0;
    public static bool IsSymlink(uint mode) => (mode & GoSymlink) != 0;
    public static bool IsRegular(uint mode) => (mode & GoTypeBits) == 0;

    /// <summary>
    /// <c>ctr:path</c> names a container unless the argument is absolute or starts with <c>.</c> (<c>./file:name</c>
    /// is local, as with scp).
    /// </summary>
    public static (string? Container, string Path) Split(string argument)
    {
        if (argument.StartsWith('/')) return (null, argument);
        var colon = argument.IndexOf(':');
        if (colon < 0 || argument.StartsWith('.')) return (null, argument);
        return (argument[..colon], argument[(colon + 1)..]);
    }

    /// <summary>The absolute local path, its trailing <c>/</c> or <c>/.</c> kept.</summary>
    public static string Absolute(string path) => PreserveTrailing(Path.GetFullPath(path), path);

    public static bool SpecifiesContents(string path) => path == "." || path.EndsWith("/.", StringComparison.Ordinal);

    /// <summary>The last component as a tar names it: <c>.</c> for <c>dir/.</c>, <c>dir</c> for <c>dir/</c>.</summary>
    public static string Base(string path)
    {
        if (SpecifiesContents(path)) return ".";
        var trimmed = path.TrimEnd('/');
        return trimmed.Length == 0 ? "/" : trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

    /// <summary>The directory holding the last component (<c>.</c> for a bare name).</summary>
    public static string Parent(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : trimmed[..slash];
    }

    /// <summary>A link's target as a path: a relative one is taken from the link's directory.</summary>
    public static string JoinLink(string linkPath, string target) =>
        target.StartsWith('/') ? target : Path.GetFullPath(Path.Combine("/", Parent(linkPath), target));

    /// <summary>docker's GetRebaseName: the resolved path keeps the asked form, and the asked name when they differ.</summary>
    public static (string Resolved, string? RebaseName) RebaseName(string asked, string resolved)
    {
        if (asked.EndsWith('/') && !resolved.EndsWith('/')) resolved += "/";
        if (SpecifiesContents(asked) && !SpecifiesContents(resolved)) resolved += "/.";
        return (resolved, Base(asked) == Base(resolved) ? null : Base(asked));
    }

    /// <summary>
    /// Where a tar from the container is extracted locally: into an existing directory as it is (Name null), else into
    /// the destination's parent with the top entry renamed to the destination's name.
    /// </summary>
    public static (string Directory, string? Name) LocalDestination(string destination, bool sourceIsDirectory)
    {
        var resolved = Directory.Exists(destination) ? destination : destination.TrimEnd('/');
        if (Directory.Exists(resolved)) return (resolved, null);
        if (File.Exists(resolved))
        {
            if (sourceIsDirectory) throw new Cli.StatusException(1, "cannot copy directory");
            return (Parent(resolved), Base(resolved));
        }
        if (!sourceIsDirectory && destination.EndsWith('/')) throw new Cli.StatusException(1, "no such directory");
        var parent = Parent(resolved);
        if (!Directory.Exists(parent)) throw new Cli.StatusException(1, $"invalid output path: directory \"{parent}\" does not exist");
        return (parent, Base(resolved));
    }

    /// <summary>A local source, with <paramref name="followLink"/> its link resolved (named as asked).</summary>
    public static LocalSource LocalSource(string path, bool followLink)
    {
        var info = new FileInfo(path.EndsWith("/.", StringComparison.Ordinal) ? path[..^2] : path);
        if (!info.Exists && !Directory.Exists(info.FullName) && info.LinkTarget is null)
            throw new Cli.StatusException(1, $"lstat {path.TrimEnd('/')}: no such file or directory");
        var resolved = followLink && info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path : path;
        var isDirectory = Directory.Exists(resolved) && (new FileInfo(resolved).LinkTarget is null || path.EndsWith('/') || SpecifiesContents(path));
        return new LocalSource(resolved, isDirectory, Base(path));
    }

    /// <summary>
    /// Where a local source goes in the container and what its tar's top entry is called: into an existing directory
    /// by its own name, else into the destination's parent named as the destination.
    /// </summary>
    public static (string Directory, string Name) ContainerDestination(string destination, bool exists, bool isDirectory, LocalSource source)
    {
        if (exists && isDirectory) return (destination, source.Base);
        if (exists && source.IsDirectory) throw new Cli.StatusException(1, "cannot copy directory");
        if (!exists && !source.IsDirectory && (destination.EndsWith('/') || SpecifiesContents(destination)))
            throw new Cli.StatusException(1, "no such directory");
        return (Parent(destination), Base(destination));
    }

    private static string PreserveTrailing(string cleaned, string original)
    {
        if (SpecifiesContents(original) && !SpecifiesContents(cleaned)) return cleaned.TrimEnd('/') + "/.";
        if (original.EndsWith('/') && !cleaned.EndsWith('/')) return cleaned + "/";
        return cleaned;
    }
}
