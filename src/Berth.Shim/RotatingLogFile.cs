using System.IO.Compression;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Shim;

/// <summary>
/// The file the container's log is appended to, rotated as moby's <c>loggerutils.LogFile</c> rotates it: before a write,
/// once the file holds <c>max-size</c> bytes, <c>&lt;log&gt;.N-1</c> … <c>&lt;log&gt;.1</c> move up one (the oldest is
/// dropped), the file becomes <c>&lt;log&gt;.1</c> (gzipped to <c>&lt;log&gt;.1.gz</c> with <c>compress</c>) and a new
/// one is started. With one file it is truncated instead. A max size of -1 never rotates.
/// </summary>
public sealed class RotatingLogFile : IDisposable
{
    private const uint Mode = 0b110_100_000;
    private readonly string _path;
    private readonly long _maxSize;
    private readonly int _maxFiles;
    private readonly bool _compress;
    private SafeFileHandle _file;
    private long _size;

    public RotatingLogFile(string path, long maxSize = -1, int maxFiles = 1, bool compress = false)
    {
        (_path, _maxSize, _maxFiles, _compress) = (path, maxSize, maxFiles, compress);
        _file = FileDescriptors.Open(path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Append, Mode);
        _size = new FileInfo(path).Length;
    }

    /// <summary>Bytes the file takes before the next write rotates it: a writer flushes when its batch reaches this, so
    /// that rotation falls between entries as moby's (which writes each entry on its own) does.</summary>
    public long RoomLeft => _maxSize > 0 ? Math.Max(0, _maxSize - _size) : long.MaxValue;

    public void Write(ReadOnlySpan<byte> entries)
    {
        if (_maxSize > 0 && _size >= _maxSize) Rotate();
        FileDescriptors.WriteAll(_file, entries);
        _size += entries.Length;
    }

    private void Rotate()
    {
        _file.Dispose();
        if (_maxFiles >= 2)
        {
            var extension = _compress ? ".gz" : "";
            File.Delete($"{_path}.{_maxFiles - 1}{extension}");
            for (var i = _maxFiles - 1; i > 1; i--)
            {
                var from = $"{_path}.{i - 1}{extension}";
                if (File.Exists(from)) File.Move(from, $"{_path}.{i}{extension}", overwrite: true);
            }
            File.Move(_path, _path + ".1", overwrite: true);
            if (_compress) Compress(_path + ".1");
        }
        _file = FileDescriptors.Open(_path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Append | OpenFlags.Truncate, Mode);
        _size = 0;
    }

    /// <summary>Closes the file and opens the one at the path, created if another process moved it away (kubelet's rotation).</summary>
    public void Reopen()
    {
        var file = FileDescriptors.Open(_path, OpenFlags.WriteOnly | OpenFlags.Create | OpenFlags.Append, Mode);
        _file.Dispose();
        _file = file;
        _size = new FileInfo(_path).Length;
    }

    /// <summary>Gzips a rotated file next to itself (write, then rename), then removes the plain one.</summary>
    private static void Compress(string path)
    {
        var temp = path + ".gz.tmp";
        using (var source = File.OpenRead(path))
        using (var target = File.Create(temp))
        using (var gzip = new GZipStream(target, CompressionLevel.Fastest))
            source.CopyTo(gzip);
        File.Move(temp, path + ".gz", overwrite: true);
        File.Delete(path);
    }

    public void Dispose() => _file.Dispose();
}
