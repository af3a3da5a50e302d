using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ZstdSharp;

namespace Berth.Images.Tests;

/// <summary>A tar built in memory entry by entry: root filesystems, layers and whole archives for the tests.</summary>
public sealed class TestTar
{
    private readonly MemoryStream _stream = new();
    private readonly TarWriter _writer;
    private byte[]? _bytes;

    public TestTar() => _writer = new TarWriter(_stream, TarEntryFormat.Pax, leaveOpen: true);

    public static readonly DateTimeOffset Mtime = new(2021, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public TestTar Dir(string name) =>
        Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0x1ED, ModificationTime = Mtime });

    public TestTar File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public TestTar File(string name, byte[] content) =>
        Add(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0x1A4, ModificationTime = Mtime, DataStream = new MemoryStream(content) });

    public TestTar Symlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, ModificationTime = Mtime });

    public TestTar HardLink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target, ModificationTime = Mtime });

    private TestTar Add(TarEntry entry)
    {
        _writer.WriteEntry(entry);
        return this;
    }

    public byte[] ToArray()
    {
        if (_bytes is null)
        {
            _writer.Dispose();
            _bytes = _stream.ToArray();
        }
        return _bytes;
    }

    public MemoryStream ToStream() => new(ToArray());

    public MemoryStream ToGzipStream() => new(Gzip(ToArray()));

    public MemoryStream ToZstdStream()
    {
        using var compressor = new Compressor();
        return new MemoryStream(compressor.Wrap(ToArray()).ToArray());
    }

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>A small root filesystem: what most tests import.</summary>
    public static TestTar Rootfs(string marker = "one") => new TestTar()
        .Dir("bin/").File("bin/busybox", "#!busybox " + marker).HardLink("bin/sh", "bin/busybox")
        .Dir("etc/").File("etc/hostname", marker + "\n").Symlink("etc/link", "hostname").Symlink("bin/abs", "/bin/busybox");

    /// <summary>Every entry of a tar: name → content (empty for non-files).</summary>
    public static Dictionary<string, byte[]> Read(byte[] tar)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry(copyData: true) is { } entry)
        {
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            entries[entry.Name] = data.ToArray();
        }
        return entries;
    }
}
