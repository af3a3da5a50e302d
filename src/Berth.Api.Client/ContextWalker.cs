using System.Formats.Tar;
using Berth.Dockerfile;

namespace Berth.Api.Client;

/// <summary>One file of a directory context: its name in the tar (forward slashes, directories ending in <c>/</c>) and where it lives.</summary>
internal sealed record ContextEntry(string Name, string FullPath, TarEntryType Type, UnixFileMode Mode, DateTimeOffset Modified, string? LinkTarget);

/// <summary>
/// Walks a context directory in name order as Go's <c>filepath.Walk</c> does, leaving out what the
/// <c>.dockerignore</c> excludes: an excluded directory is not entered unless an exception may match below it
/// (then only what the exception re-includes is sent, without the directory's own entry).
/// </summary>
internal static class ContextWalker
{
    /// <summary>A link's own mode, as Go's <c>Lstat</c> reports it on Linux (.NET's <c>UnixFileMode</c> is the target's).</summary>
    private const UnixFileMode SymlinkMode = (UnixFileMode)0b111_111_111;

    public static List<ContextEntry> Walk(string root, DockerIgnore ignore)
    {
        var entries = new List<ContextEntry>();
        WalkDirectory(new DirectoryInfo(root), "", ignore, entries);
        return entries;
    }

    private static void WalkDirectory(DirectoryInfo directory, string prefix, DockerIgnore ignore, List<ContextEntry> entries)
    {
        FileSystemInfo[] children;
        try
        {
            children = [.. directory.EnumerateFileSystemInfos().OrderBy(c => c.Name, StringComparer.Ordinal)];
        }
        catch (UnauthorizedAccessException)
        {
            throw new BuildContextException($"checking context: can't stat '{directory.FullName}'");
        }
        foreach (var child in children)
        {
            var name = prefix + child.Name;
            var isDirectory = child is DirectoryInfo && child.LinkTarget is null;
            if (ignore.Excludes(name))
            {
                if (isDirectory && ignore.MayIncludeUnder(name))
                    WalkDirectory((DirectoryInfo)child, name + "/", ignore, entries);
                continue;
            }
            if (child.LinkTarget is { } target)
                entries.Add(new ContextEntry(name, child.FullName, TarEntryType.SymbolicLink, SymlinkMode, child.LastWriteTimeUtc, target));
            else if (isDirectory)
            {
                entries.Add(new ContextEntry(name + "/", child.FullName, TarEntryType.Directory, child.UnixFileMode, child.LastWriteTimeUtc, null));
                WalkDirectory((DirectoryInfo)child, name + "/", ignore, entries);
            }
            else
            {
                CheckReadable(child.FullName);
                entries.Add(new ContextEntry(name, child.FullName, TarEntryType.RegularFile, child.UnixFileMode, child.LastWriteTimeUtc, null));
            }
        }
    }

    private static void CheckReadable(string path)
    {
        try
        {
            using var _ = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (UnauthorizedAccessException)
        {
            throw new BuildContextException($"checking context: no permission to read from '{path}'");
        }
    }
}
