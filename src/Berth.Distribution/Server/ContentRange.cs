using System.Globalization;

namespace Berth.Distribution.Server;

/// <summary>An inclusive byte range of an upload chunk: <c>start-end</c> (also accepted: <c>bytes start-end/total</c>).</summary>
public readonly record struct ContentRange(long Start, long End)
{
    public long Length => End - Start + 1;

    public static ContentRange? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var value = header.Trim();
        if (value.StartsWith("bytes", StringComparison.OrdinalIgnoreCase)) value = value[5..].TrimStart(' ', '=');
        var slash = value.IndexOf('/');
        if (slash >= 0) value = value[..slash];
        var dash = value.IndexOf('-');
        if (dash <= 0
            || !long.TryParse(value.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(value.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || end < start)
        {
            throw new RegistryException(ErrorCode.BlobUploadInvalid.WithStatus(416), $"malformed Content-Range \"{header}\"");
        }
        return new ContentRange(start, end);
    }

    /// <summary>The <c>Range</c> header value an upload of <paramref name="size"/> bytes reports (<c>0-0</c> when empty).</summary>
    public static string Report(long size) => $"0-{Math.Max(0, size - 1)}";
}

/// <summary>One request body handed to the upload store: its stream and what the client declared about it.</summary>
public sealed record UploadChunk(Stream Body, ContentRange? Range, long? ContentLength);
