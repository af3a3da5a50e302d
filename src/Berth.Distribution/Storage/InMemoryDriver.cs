namespace Berth.Distribution.Storage;

/// <summary>
/// Keeps the tree in memory (tests, and <c>--storage inmemory</c>). Directories are implied by the files below
/// them. One lock guards the map; file contents are immutable snapshots except while a writer appends.
/// </summary>
public sealed partial class InMemoryDriver : IStorageDriver
{
    private readonly object _lock = new();
    private readonly SortedDictionary<string, MemoryFile> _files = new(StringComparer.Ordinal);

    public string Name => "inmemory";

    public Task<byte[]> GetContentAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(path);
        lock (_lock)
        {
            return _files.TryGetValue(path, out var file)
                ? Task.FromResult(file.Content.ToArray())
                : throw new PathNotFoundException(path);
        }
    }

    public Task PutContentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(path);
        lock (_lock)
        {
            EnsureNotDirectory(path);
            _files[path] = new MemoryFile(content.ToArray());
        }
        return Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(string path, long offset = 0, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(path);
        ReadOnlyMemory<byte> content;
        lock (_lock)
        {
            if (!_files.TryGetValue(path, out var file)) throw new PathNotFoundException(path);
            content = file.Content;
        }
        if (offset < 0 || offset > content.Length) throw new InvalidOffsetException(path, offset);
        return Task.FromResult<Stream>(new ReadOnlyMemoryStream(content[(int)offset..]));
    }

    public Task<IStorageWriter> CreateWriterAsync(string path, bool append, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(path);
        lock (_lock)
        {
            EnsureNotDirectory(path);
            var created = !_files.TryGetValue(path, out var file);
            if (file is null || !append)
            {
                file = new MemoryFile(file is not null && append ? file.Content.ToArray() : []);
                _files[path] = file;
            }
            return Task.FromResult<IStorageWriter>(new Writer(this, path, file, created));
        }
    }

    public Task<StorageInfo?> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(path);
        lock (_lock)
        {
            if (_files.TryGetValue(path, out var file))
                return Task.FromResult<StorageInfo?>(new StorageInfo(path, file.Length, file.ModifiedAt, false));
            var newest = DateTimeOffset.MinValue;
            var found = false;
            foreach (var (key, child) in _files)
            {
                if (!IsBelow(key, path)) continue;
                found = true;
                if (child.ModifiedAt > newest) newest = child.ModifiedAt;
            }
            return Task.FromResult(found ? new StorageInfo(path, 0, newest, true) : null);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(path);
        var prefix = path == "/" ? "/" : path + "/";
        var children = new SortedSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var key in _files.Keys)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
                var next = key.IndexOf('/', prefix.Length);
                children.Add(next < 0 ? key : key[..next]);
            }
        }
        if (children.Count == 0) throw new PathNotFoundException(path);
        return Task.FromResult<IReadOnlyList<string>>([.. children]);
    }

    public Task MoveAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(sourcePath);
        StoragePath.Validate(destinationPath);
        lock (_lock)
        {
            if (!_files.Remove(sourcePath, out var file)) throw new PathNotFoundException(sourcePath);
            EnsureNotDirectory(destinationPath);
            _files[destinationPath] = file;
        }
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        StoragePath.Validate(path);
        if (path == "/") throw new InvalidPathException(path);
        lock (_lock)
        {
            var doomed = _files.Keys.Where(key => key == path || IsBelow(key, path)).ToList();
            if (doomed.Count == 0) throw new PathNotFoundException(path);
            foreach (var key in doomed) _files.Remove(key);
        }
        return Task.CompletedTask;
    }

    private void EnsureNotDirectory(string path)
    {
        if (_files.Keys.Any(key => IsBelow(key, path))) throw new InvalidPathException(path);
    }

    private static bool IsBelow(string key, string directory) =>
        directory == "/" || (key.Length > directory.Length && key[directory.Length] == '/' && key.StartsWith(directory, StringComparison.Ordinal));

    private void Forget(string path, MemoryFile file)
    {
        lock (_lock)
        {
            if (_files.TryGetValue(path, out var current) && ReferenceEquals(current, file)) _files.Remove(path);
        }
    }
}
