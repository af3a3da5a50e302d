using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ZstdSharp;

namespace Berth.Snapshots.Tests;

/// <summary>Builds layer tars in memory, entry by entry, and reads them back.</summary>
public sealed class LayerTar
{
    private readonly MemoryStream _stream = new();
    private readonly TarWriter _writer;

    public LayerTar() => _writer = new TarWriter(_stream, TarEntryFormat.Pax, leaveOpen: true);

    public static readonly DateTimeOffset Mtime = new(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public LayerTar Dir(string name, UnixFileMode mode = (UnixFileMode)0x1ED) =>
        Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, ModificationTime = Mtime });

    public LayerTar File(string name, string content, UnixFileMode mode = (UnixFileMode)0x1A4, int uid = 0, int gid = 0,
        IEnumerable<KeyValuePair<string, string>>? attributes = null) =>
        Add(new PaxTarEntry(TarEntryType.RegularFile, name, attributes ?? [])
        {
            Mode = mode, Uid = uid, Gid = gid, ModificationTime = Mtime, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        });

    public LayerTar Symlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, ModificationTime = Mtime });

    public LayerTar HardLink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target, ModificationTime = Mtime });

    public LayerTar Fifo(string name) => Add(new PaxTarEntry(TarEntryType.Fifo, name) { Mode = (UnixFileMode)0x1A4, ModificationTime = Mtime });

    public LayerTar CharDevice(string name, int major, int minor) =>
        Add(new PaxTarEntry(TarEntryType.CharacterDevice, name) { Mode = (UnixFileMode)0x1B6, DeviceMajor = major, DeviceMinor = minor, ModificationTime = Mtime });

    public LayerTar Whiteout(string name) => File(name, "");

    private LayerTar Add(TarEntry entry)
    {
        _writer.WriteEntry(entry);
        return this;
    }

    public byte[] ToArray()
    {
        _writer.Dispose();
        return _stream.ToArray();
    }

    public MemoryStream ToStream() => new(ToArray());

    public MemoryStream ToGzipStream()
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(ToArray());
        output.Position = 0;
        return output;
    }

    public MemoryStream ToZstdStream()
    {
        using var compressor = new Compressor();
        return new MemoryStream(compressor.Wrap(ToArray()).ToArray());
    }

    /// <summary>The entry names of a tar, in order.</summary>
    public static List<string> Names(Stream tar)
    {
        tar.Position = 0;
        using var reader = new TarReader(tar, leaveOpen: true);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        return names;
    }
}
