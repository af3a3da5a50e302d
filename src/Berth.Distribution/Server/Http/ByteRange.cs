using System.Globalization;

namespace Berth.Distribution.Server.Http;

/// <summary>A satisfiable single byte range of a <c>Range: bytes=…</c> request header (RFC 9110 §14).</summary>
internal readonly record struct ByteRange(long Start, long End)
{
    public long Length => End - Start + 1;

    /// <summary>
    /// Null when the whole blob should be sent (no header, another unit, or several ranges: RFC 9110 lets a server ignore them);
    /// 416 with <c>Content-Range: bytes */size</c> when the range lies beyond the blob.
    /// </summary>
    public static ByteRange? Parse(string? header, long size)
    {
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return null;
        var spec = header.AsSpan(6).Trim();
        if (spec.Contains(',')) return null;
        var dash = spec.IndexOf('-');
        if (dash < 0) return null;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        long start, end;
        if (first.IsEmpty)
        {
            if (!TryParse(last, out var suffix) || suffix == 0) throw Unsatisfiable(size);
            start = Math.Max(0, size - suffix);
            end = size - 1;
        }
        else
        {
            if (!TryParse(first, out start)) return null;
            if (last.IsEmpty) end = size - 1;
            else if (!TryParse(last, out var lastByte) || lastByte < start) return null;
            else end = Math.Min(lastByte, size - 1);
        }
        if (start >= size) throw Unsatisfiable(size);
        return new ByteRange(start, end);
    }

    private static bool TryParse(ReadOnlySpan<char> value, out long number) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number);

    private static RegistryException Unsatisfiable(long size) =>
        new RegistryException(ErrorCode.RangeInvalid)
            .WithHeader("Content-Range", $"bytes */{size}");
}
