using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Snapshots;

/// <summary>Tree walks and removals that never follow a symlink, and the small encodings they need.</summary>
public static class FileTree
{
    /// <summary>AT_FDCWD as a handle, for the *at calls when the path is absolute.</summary>
    public static readonly SafeFileHandle CurrentDirectory = new(-100, ownsHandle: false);

    /// <summary>The names in one directory, sorted ordinally so tars and copies are deterministic.</summary>
    public static IEnumerable<string> Children(string dir)
    {
        var names = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Every entry under <paramref name="root"/> (not the root), parents before children, as paths relative to it.</summary>
    public static IEnumerable<(string Relative, FileStatus Status)> Walk(string root, string relative = "")
    {
        foreach (var name in Children(Path.Combine(root, relative)))
        {
            var child = relative.Length == 0 ? name : relative + "/" + name;
            if (FileStatus.TryGet(Path.Combine(root, child)) is not { } status) continue;
            yield return (child, status);
            if (status.Kind == FileKind.Directory)
                foreach (var nested in Walk(root, child)) yield return nested;
        }
    }

    /// <summary>Removes a file or a whole tree, making read-only directories writable on the way (a layer may hold 0555 ones).</summary>
    public static void Delete(string path)
    {
        if (FileStatus.TryGet(path) is not { } status) return;
        if (status.Kind != FileKind.Directory)
        {
            File.Delete(path);
            return;
        }
        if ((status.Mode & 0x1C0) != 0x1C0) File.SetUnixFileMode(path, (UnixFileMode)(status.Permissions | 0x1C0));
        foreach (var name in Children(path)) Delete(Path.Combine(path, name));
        Directory.Delete(path);
    }

    /// <summary>glibc's makedev(3).</summary>
    public static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    public static bool IsRoot => FileOwnership.EffectiveUserId == 0;
}
