namespace Berth.Distribution.Storage;

/// <summary>
/// Stores the tree under a root directory: storage path <c>/a/b</c> is file <c>&lt;root&gt;/a/b</c>.
/// Whole-file writes go to <c>&lt;root&gt;/.berth-tmp/</c> first, are flushed to disk, then renamed into place.
/// Empty directories are pruned after deletes and moves, so a directory exists only while it holds a file.
/// </summary>
public sealed partial class FileSystemDriver : IStorageDriver
{
    private const string TempDirectoryName = ".berth-tmp";
    private readonly string _root;
    private readonly string _tempDirectory;

    public FileSystemDriver(string root)
    {
        _root = Path.GetFullPath(root);
        _tempDirectory = Path.Combine(_root, TempDirectoryName);
        Directory.CreateDirectory(_tempDirectory);
    }

    public string Name => "filesystem";

    public async Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        var file = Resolve(path);
        try
        {
            return await File.ReadAllBytesAsync(file, cancellationToken);
        }
        catch (Exception e) when (IsNotFound(e))
        {
            throw new PathNotFoundException(path);
        }
    }

    public async Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var file = Resolve(path);
        var temp = Path.Combine(_tempDirectory, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var stream = OpenForWrite(temp, FileMode.CreateNew))
            {
                await stream.WriteAsync(content, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            RetryOnVanishedParent(file, () => File.Move(temp, file, overwrite: true));
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<Stream> OpenReadAsync(string path, long offset = 0, CancellationToken cancellationToken = default)
    {
        var file = Resolve(path);
        FileStream stream;
        try
        {
            stream = new FileStream(file, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (Exception e) when (IsNotFound(e))
        {
            throw new PathNotFoundException(path);
        }
        if (offset < 0 || offset > stream.Length)
        {
            stream.Dispose();
            throw new InvalidOffsetException(path, offset);
        }
        stream.Position = offset;
        return Task.FromResult<Stream>(stream);
    }

    public Task<IStorageWriter> CreateWriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        var file = Resolve(path);
        if (Directory.Exists(file)) throw new InvalidPathException(path);
        var created = !File.Exists(file);
        FileStream? stream = null;
        RetryOnVanishedParent(file, () => stream = OpenForWrite(file, FileMode.OpenOrCreate));
        if (!append) stream!.SetLength(0);
        return Task.FromResult<IStorageWriter>(new Writer(this, stream!, created, append ? stream!.Length : 0));
    }

    public Task<StorageInfo?> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        var file = Resolve(path);
        var info = new FileInfo(file);
        if (info.Exists) return Task.FromResult<StorageInfo?>(new StorageInfo(path, info.Length, info.LastWriteTimeUtc, false));
        var directory = new DirectoryInfo(file);
        if (directory.Exists) return Task.FromResult<StorageInfo?>(new StorageInfo(path, 0, directory.LastWriteTimeUtc, true));
        return Task.FromResult<StorageInfo?>(null);
    }

    public Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        var directory = Resolve(path);
        if (!Directory.Exists(directory)) throw new PathNotFoundException(path);
        try
        {
            var children = new List<string>();
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
            {
                var name = Path.GetFileName(entry);
                if (path == "/" && name == TempDirectoryName) continue;
                children.Add(StoragePath.Combine(path, name));
            }
            children.Sort(StringComparer.Ordinal);
            return Task.FromResult<IReadOnlyList<string>>(children);
        }
        catch (DirectoryNotFoundException)
        {
            throw new PathNotFoundException(path);
        }
    }

    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        var source = Resolve(sourcePath);
        var destination = Resolve(destinationPath);
        if (!File.Exists(source)) throw new PathNotFoundException(sourcePath);
        try
        {
            RetryOnVanishedParent(destination, () => File.Move(source, destination, overwrite: true));
        }
        catch (FileNotFoundException)
        {
            throw new PathNotFoundException(sourcePath);
        }
        PruneEmptyParents(source);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var target = Resolve(path);
        if (path == "/") throw new InvalidPathException(path);
        try
        {
            if (File.Exists(target)) File.Delete(target);
            else if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            else throw new PathNotFoundException(path);
        }
        catch (DirectoryNotFoundException)
        {
            throw new PathNotFoundException(path);
        }
        PruneEmptyParents(target);
        return Task.CompletedTask;
    }

    private string Resolve(string path)
    {
        StoragePath.Validate(path);
        return path == "/" ? _root : Path.Join(_root, path.AsSpan(1));
    }

    private static FileStream OpenForWrite(string file, FileMode mode) => new(file, new FileStreamOptions
    {
        Mode = mode,
        Access = FileAccess.Write,
        Share = FileShare.Read | FileShare.Delete,
        Options = FileOptions.Asynchronous,
        BufferSize = 0,
    });

    /// <summary>A concurrent delete may prune the parent between CreateDirectory and the write: create it again.</summary>
    private static void RetryOnVanishedParent(string file, Action action)
    {
        for (var attempt = 0; ; attempt++)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            try
            {
                action();
                return;
            }
            catch (DirectoryNotFoundException) when (attempt < 5)
            {
            }
        }
    }

    private void PruneEmptyParents(string removed)
    {
        for (var directory = Path.GetDirectoryName(removed); directory is not null && directory.Length > _root.Length; directory = Path.GetDirectoryName(directory))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(directory).Any()) return;
                Directory.Delete(directory);
            }
            catch (IOException)
            {
                return; // not empty any more, or already gone: either way stop
            }
        }
    }

    private static bool IsNotFound(Exception e) =>
        e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException;
}
