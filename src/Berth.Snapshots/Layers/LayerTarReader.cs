using System.Buffers;
using System.Formats.Tar;
using System.Text;

namespace Berth.Snapshots.Layers;

/// <summary>
/// Reads a layer tar (ustar, PAX, GNU and V7 headers) entry by entry, as Go's archive/tar does for Docker and
/// containerd. System.Formats.Tar cannot serve layers: it decodes every PAX value as UTF-8 (so a binary
/// <c>security.capability</c> comes out mangled) and does not expand sparse files. Here PAX values stay bytes, GNU long
/// names and links apply, and GNU (<c>S</c>) and PAX (0.0, 0.1, 1.0) sparse files come with their segment map.
/// Reads are asynchronous only and strictly forward. A malformed archive is a <see cref="LayerFormatException"/>.
/// </summary>
public sealed partial class LayerTarReader(Stream tar)
{
    private readonly Stream _tar = tar;
    private const int Block = 512;
    private const string XattrPrefix = "SCHILY.xattr.";

    private readonly byte[] _header = new byte[Block];
    private EntryData? _current;
    private bool _ended;

    public async ValueTask<LayerTarEntry?> GetNextEntryAsync(CancellationToken cancellationToken = default)
    {
        if (_current is not null) await _current.SkipRestAsync(cancellationToken);
        _current = null;
        var extended = new ExtendedHeader();
        string? longName = null, longLink = null;
        while (!_ended)
        {
            if (!await ReadHeaderAsync(cancellationToken)) break;
            var type = (char)_header[156];
            var size = Number(_header.AsSpan(124, 12), "size");
            switch (type)
            {
                case 'x':
                    extended.Parse(await ReadMetadataAsync(size, cancellationToken));
                    continue;
                case 'g':
                    await ReadMetadataAsync(size, cancellationToken); // global headers carry nothing a layer uses
                    continue;
                case 'L':
                    longName = CString(await ReadMetadataAsync(size, cancellationToken));
                    continue;
                case 'K':
                    longLink = CString(await ReadMetadataAsync(size, cancellationToken));
                    continue;
                default:
                    return await EntryAsync(type, size, extended, longName, longLink, cancellationToken);
            }
        }
        _ended = true;
        return null;
    }

    private async ValueTask<LayerTarEntry> EntryAsync(char type, long size, ExtendedHeader extended, string? longName, string? longLink,
        CancellationToken cancellationToken)
    {
        var h = _header;
        var ustar = h.AsSpan(257, 6).SequenceEqual("ustar\0"u8);
        var gnu = h.AsSpan(257, 8).SequenceEqual("ustar  \0"u8);
        var name = CString(h.AsSpan(0, 100));
        var prefix = ustar ? CString(h.AsSpan(345, 155)) : "";
        if (prefix.Length > 0) name = prefix + "/" + name;
        name = extended.Text("path") ?? longName ?? name;
        size = extended.Long("size") ?? size;
        var entryType = type switch
        {
            '\0' or '0' or '7' => name.EndsWith('/') ? TarEntryType.Directory : TarEntryType.RegularFile,
            'S' when gnu => TarEntryType.RegularFile,
            _ => (TarEntryType)type,
        };
        var data = new EntryData(this, size);
        _current = data;

        IReadOnlyList<SparseSegment>? sparse = null;
        var length = entryType == TarEntryType.RegularFile ? size : 0;
        if (type == 'S' && gnu)
        {
            sparse = await ReadGnuSparseMapAsync(cancellationToken);
            length = Number(h.AsSpan(483, 12), "sparse real size");
        }
        else if (extended.IsSparse)
        {
            (sparse, length) = await extended.SparseMapAsync(data, cancellationToken);
            name = extended.Text("GNU.sparse.name") ?? name;
        }
        if (sparse is not null) CheckSparse(name, sparse, data.Remaining, length);

        return new LayerTarEntry
        {
            Name = name,
            EntryType = entryType,
            Mode = (uint)(Number(h.AsSpan(100, 8), "mode") & 0xFFF),
            Uid = (int)(extended.Long("uid") ?? Number(h.AsSpan(108, 8), "uid")),
            Gid = (int)(extended.Long("gid") ?? Number(h.AsSpan(116, 8), "gid")),
            ModificationTime = extended.Time("mtime") ?? DateTimeOffset.FromUnixTimeSeconds(Number(h.AsSpan(136, 12), "mtime")),
            LinkName = extended.Text("linkpath") ?? longLink ?? CString(h.AsSpan(157, 100)),
            DeviceMajor = ustar || gnu ? (int)Number(h.AsSpan(329, 8), "devmajor") : 0,
            DeviceMinor = ustar || gnu ? (int)Number(h.AsSpan(337, 8), "devminor") : 0,
            Length = length,
            Xattrs = extended.Xattrs,
            SparseMap = sparse,
            DataStream = data,
        };
    }

    /// <summary>Reads the next header block; false at the end-of-archive zero block or at the end of the stream.</summary>
    private async ValueTask<bool> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        var read = await _tar.ReadAtLeastAsync(_header, Block, throwOnEndOfStream: false, cancellationToken);
        if (read == 0) return false;
        if (read < Block) throw new LayerFormatException("the archive ends inside a header");
        if (_header.AsSpan().IndexOfAnyExcept((byte)0) < 0) return false;
        var stored = Number(_header.AsSpan(148, 8), "checksum");
        long unsigned = 0, signed = 0;
        for (var i = 0; i < Block; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : _header[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        if (stored != unsigned && stored != signed) throw new LayerFormatException("a header's checksum does not match: this is not a tar archive");
        return true;
    }

    /// <summary>The data of a metadata entry (an extended header or a long name), read whole with its padding.</summary>
    private async ValueTask<byte[]> ReadMetadataAsync(long size, CancellationToken cancellationToken)
    {
        if (size is < 0 or > 16 << 20) throw new LayerFormatException($"an extended header of {size} bytes is beyond any layer's");
        var data = new byte[size];
        await ReadExactlyAsync(data, cancellationToken);
        await SkipAsync(Padding(size), cancellationToken);
        return data;
    }

    private async ValueTask ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (await _tar.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken) < buffer.Length)
            throw new LayerFormatException("the archive ends inside an entry");
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        if (count == 0) return;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (count > 0)
            {
                var chunk = (int)Math.Min(count, buffer.Length);
                await ReadExactlyAsync(buffer.AsMemory(0, chunk), cancellationToken);
                count -= chunk;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long Padding(long size) => (Block - size % Block) % Block;

    /// <summary>A numeric field: octal text (NUL or space terminated), or GNU's base-256 when the top bit is set.</summary>
    private static long Number(ReadOnlySpan<byte> field, string what)
    {
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            if (field[0] == 0xFF) throw new LayerFormatException($"a header's {what} is negative");
            long value = field[0] & 0x7F;
            foreach (var b in field[1..])
            {
                if (value > long.MaxValue >> 8) throw new LayerFormatException($"a header's {what} overflows");
                value = (value << 8) | b;
            }
            return value;
        }
        var text = field.Trim((byte)0).Trim((byte)' ');
        var end = text.IndexOfAny((byte)0, (byte)' ');
        if (end >= 0) text = text[..end];
        long result = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'7') throw new LayerFormatException($"a header's {what} is not an octal number");
            if (result > long.MaxValue >> 3) throw new LayerFormatException($"a header's {what} overflows");
            result = (result << 3) | (uint)(b - '0');
        }
        return result;
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    /// <summary>The stored data of the current entry: reads stop at its end; the rest and the padding are skipped
    /// before the next header.</summary>
    private sealed class EntryData(LayerTarReader reader, long size) : Stream
    {
        private readonly long _size = size;

        public long Remaining { get; private set; } = size;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _size;
        public override long Position { get => _size - Remaining; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Remaining == 0 || buffer.Length == 0) return 0;
            var read = await reader._tar.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Remaining)], cancellationToken);
            if (read == 0) throw new LayerFormatException("the archive ends inside an entry");
            Remaining -= read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public async ValueTask SkipRestAsync(CancellationToken cancellationToken)
        {
            await reader.SkipAsync(Remaining + Padding(_size), cancellationToken);
            Remaining = 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
