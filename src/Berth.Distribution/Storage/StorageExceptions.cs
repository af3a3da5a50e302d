namespace Berth.Distribution.Storage;

public sealed class PathNotFoundException(string path) : Exception($"storage path not found: {path}")
{
    public string Path { get; } = path;
}

public sealed class InvalidPathException(string path) : ArgumentException($"invalid storage path: \"{path}\"")
{
    public string Path { get; } = path;
}

public sealed class InvalidOffsetException(string path, long offset) : Exception($"invalid offset {offset} for {path}")
{
    public string Path { get; } = path;
    public long Offset { get; } = offset;
}
