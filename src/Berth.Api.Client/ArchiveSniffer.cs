using System.Text;

namespace Berth.Api.Client;

/// <summary>
/// docker's <c>IsArchive</c> on a stream's first 512 bytes: a gzip, bzip2, xz or zstd header, or a tar header whose
/// checksum holds.
/// </summary>
internal static class ArchiveSniffer
{
    private static readonly byte[][] Compressed =
    [
        [0x1F, 0x8B, 0x08], "BZh"u8.ToArray(), [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], [0x28, 0xB5, 0x2F, 0xFD],
    ];

    public static bool IsArchive(ReadOnlySpan<byte> head)
    {
        foreach (var magic in Compressed)
        {
            if (head.StartsWith(magic))
                return true;
        }
        return IsTarHeader(head);
    }

    /// <summary>The header checksum (offset 148, 8 octal digits) is the byte sum with that field read as spaces.</summary>
    private static bool IsTarHeader(ReadOnlySpan<byte> head)
    {
        if (head.Length < 512)
            return false;
        var field = Encoding.ASCII.GetString(head.Slice(148, 8)).Trim(' ', '\0');
        if (field.Length == 0 || field.Any(c => c is < '0' or > '7'))
            return false;
        long sum = 0;
        for (var i = 0; i < 512; i++)
            sum += i is >= 148 and < 156 ? ' ' : head[i];
        return Convert.ToInt64(field, 8) == sum;
    }
}
