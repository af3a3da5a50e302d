using System.Security.Cryptography;

namespace Berth.Snapshots;

/// <summary>
/// Removes directory trees off the caller's path: <see cref="Discard"/> renames a tree into the trash directory (one
/// rename on the same filesystem, where a recursive delete is a syscall per entry and stalls on a busy disk), and a
/// background task deletes it. What a crash leaves in the trash is deleted by <see cref="Sweep"/> at start.
/// <see cref="DrainAsync"/> waits for the deletions in flight (shutdown, tests).
/// </summary>
public sealed class Trash(string directory)
{
    private readonly Lock _lock = new();
    private Task _pending = Task.CompletedTask;

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>
    /// Takes <paramref name="path"/> (a directory, or nothing) out of its place at once; it is deleted in the background.
    /// Where it cannot be renamed into the trash (another filesystem), it is deleted here and now.
    /// </summary>
    public void Discard(string path)
    {
        var target = Path.Combine(Directory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            System.IO.Directory.Move(path, target);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        catch (IOException) when (System.IO.Directory.Exists(path))
        {
            FileTree.Delete(path);
            return;
        }
        DeleteInBackground(target);
    }

    /// <summary>Deletes, in the background, whatever is in the trash: trees a killed process had discarded.</summary>
    public void Sweep()
    {
        if (!System.IO.Directory.Exists(Directory)) return;
        foreach (var name in FileTree.Children(Directory)) DeleteInBackground(Path.Combine(Directory, name));
    }

    /// <summary>Completes once every deletion started so far has finished.</summary>
    public Task DrainAsync()
    {
        lock (_lock) return _pending;
    }

    private void DeleteInBackground(string path)
    {
        lock (_lock)
        {
            var previous = _pending;
            _pending = Task.Run(async () =>
            {
                Delete(path);
                await previous;
            });
        }
    }

    /// <summary>Never throws: a tree that cannot be deleted now stays in the trash for the next sweep.</summary>
    private static void Delete(string path)
    {
        try
        {
            FileTree.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
