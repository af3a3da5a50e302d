using System.Buffers;
using System.Formats.Tar;
using System.Globalization;
using System.Text;

namespace Berth.Snapshots.Layers;

/// <summary>
/// Writes one PAX entry (its <c>x</c> header, its ustar header and its data) straight to the archive stream, for the
/// entries whose extended attributes are not UTF-8 text: a <c>security.capability</c> value is binary, and
/// <see cref="TarWriter"/> takes only string values, which it would re-encode. The record values are the raw bytes, as
/// Go's archive/tar (and so Docker) writes and reads them. The archive's other entries still go through TarWriter.
/// </summary>
internal static class PaxEntryWriter
{
    private const int Block = 512;

    /// <summary>The header of an entry: what a ustar header holds, plus its full path and link target.</summary>
    public sealed record Header(TarEntryType Type, string Path, int Mode, int Uid, int Gid, long Size, DateTimeOffset ModificationTime)
    {
        public string LinkName { get; init; } = "";
        public int DeviceMajor { get; init; }
        public int DeviceMinor { get; init; }
    }

    public static async Task WriteAsync(Stream output, Header header, IReadOnlyDictionary<string, byte[]> xattrs, Stream? data,
        CancellationToken cancellationToken)
    {
        var records = Records(header, xattrs);
        await output.WriteAsync(Ustar(header with { Type = TarEntryType.ExtendedAttributes, Size = records.Length }, "PaxHeaders.0/" + header.Path), cancellationToken);
        await output.WriteAsync(Padded(records), cancellationToken);
        await output.WriteAsync(Ustar(header, header.Path), cancellationToken);
        if (data is null) return;
        var copied = 0L;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while (copied < header.Size && (read = await data.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, header.Size - copied)), cancellationToken)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                copied += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (copied != header.Size) throw new IOException($"{header.Path}: the file changed size while it was archived");
        var padding = (int)((Block - header.Size % Block) % Block);
        if (padding > 0) await output.WriteAsync(new byte[padding], cancellationToken);
    }

    /// <summary>"<c>len key=value\n</c>" records, the length counting itself: path, link target, mtime, then the xattrs by name.</summary>
    private static byte[] Records(Header header, IReadOnlyDictionary<string, byte[]> xattrs)
    {
        using var records = new MemoryStream();
        Record(records, "path", Encoding.UTF8.GetBytes(header.Path));
        if (header.LinkName.Length > 0) Record(records, "linkpath", Encoding.UTF8.GetBytes(header.LinkName));
        var mtime = header.ModificationTime;
        var seconds = mtime.ToUnixTimeSeconds();
        var fraction = (mtime.UtcTicks - DateTimeOffset.FromUnixTimeSeconds(seconds).UtcTicks).ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0');
        Record(records, "mtime", Encoding.ASCII.GetBytes(fraction.Length == 0 ? seconds.ToString(CultureInfo.InvariantCulture) : $"{seconds}.{fraction}"));
        foreach (var (name, value) in xattrs.OrderBy(x => x.Key, StringComparer.Ordinal)) Record(records, "SCHILY.xattr." + name, value);
        return records.ToArray();
    }

    private static void Record(MemoryStream records, string key, byte[] value)
    {
        var rest = Encoding.UTF8.GetByteCount(key) + value.Length + 3; // ' ', '=', '\n'
        var length = rest + 1;
        while (length.ToString(CultureInfo.InvariantCulture).Length + rest != length) length++;
        records.Write(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture) + " " + key + "="));
        records.Write(value);
        records.WriteByte((byte)'\n');
    }

    private static byte[] Padded(byte[] records)
    {
        var padded = new byte[(records.Length + Block - 1) / Block * Block];
        records.CopyTo(padded, 0);
        return padded;
    }

    /// <summary>A ustar header block; names longer than its fields are cut, the PAX records carry them whole.</summary>
    private static byte[] Ustar(Header header, string name)
    {
        var block = new byte[Block];
        Text(block, 0, 100, name);
        Octal(block, 100, 8, header.Mode);
        Octal(block, 108, 8, header.Uid);
        Octal(block, 116, 8, header.Gid);
        Octal(block, 124, 12, header.Size);
        Octal(block, 136, 12, Math.Max(0, header.ModificationTime.ToUnixTimeSeconds()));
        block[156] = (byte)header.Type;
        Text(block, 157, 100, header.LinkName);
        "ustar\0"u8.CopyTo(block.AsSpan(257));
        "00"u8.CopyTo(block.AsSpan(263));
        Octal(block, 329, 8, header.DeviceMajor);
        Octal(block, 337, 8, header.DeviceMinor);
        "        "u8.CopyTo(block.AsSpan(148));
        var sum = 0;
        foreach (var b in block) sum += b;
        Octal(block, 148, 7, sum);
        return block;
    }

    private static void Text(byte[] block, int offset, int size, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes.AsSpan(0, Math.Min(bytes.Length, size)).CopyTo(block.AsSpan(offset));
    }

    /// <summary>Zero-padded octal digits and a NUL, as ustar numbers are written.</summary>
    private static void Octal(byte[] block, int offset, int size, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(size - 1, '0');
        if (digits.Length > size - 1) throw new IOException($"{value} does not fit a ustar header field of {size} bytes");
        Encoding.ASCII.GetBytes(digits).AsSpan(0, size - 1).CopyTo(block.AsSpan(offset));
        block[offset + size - 1] = 0;
    }
}
