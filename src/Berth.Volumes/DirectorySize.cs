using Berth.Linux;

namespace Berth.Volumes;

/// <summary>Bytes under a directory, each hard-linked inode counted once, never following a symlink.</summary>
public static class DirectorySize
{
    public static long Of(string dir)
    {
        if (!Directory.Exists(dir)) return 0;
        var seen = new HashSet<(ulong, ulong)>();
        long size = 0;
        var pending = new Stack<string>();
        pending.Push(dir);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            IEnumerable<string> children;
            try
            {
                children = Directory.EnumerateFileSystemEntries(current);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var child in children)
            {
                if (FileStatus.TryGet(child) is not { } status) continue;
                if (status.Kind == FileKind.Directory) pending.Push(child);
                else if (seen.Add((status.Device, status.Inode))) size += status.Size;
            }
        }
        return size;
    }
}
