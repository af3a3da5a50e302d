using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Berth.Api.Server.Hijack;

/// <summary>An HTTP/1.1 request line and headers, as the hijack middleware reads them before Kestrel's parser.</summary>
public sealed partial class RequestHead
{
    public required string Method { get; init; }

    /// <summary>The percent-decoded path, without the <c>/v1.xx</c> prefix.</summary>
    public required string Path { get; init; }

    public string? ApiVersion { get; init; }
    public required Dictionary<string, Microsoft.Extensions.Primitives.StringValues> Query { get; init; }
    public required Dictionary<string, string> Headers { get; init; }

    public long ContentLength => Headers.TryGetValue("content-length", out var v) && long.TryParse(v, out var n) ? n : 0;

    public bool WantsUpgrade =>
        Headers.ContainsKey("upgrade") ||
        (Headers.TryGetValue("connection", out var c) && c.Contains("upgrade", StringComparison.OrdinalIgnoreCase));

    /// <summary>The end of the head (after the blank line) in <paramref name="buffer"/>, or null if it is not all there.</summary>
    public static SequencePosition? FindEnd(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, "\r\n\r\n"u8, advancePastDelimiter: true) ? reader.Position : null;
    }

    /// <summary>Parses a complete head; null when it is not a well-formed HTTP/1.1 request (Kestrel then answers it).</summary>
    public static RequestHead? Parse(ReadOnlySequence<byte> head)
    {
        var text = Encoding.Latin1.GetString(head);
        var lines = text.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) return null;
        var target = requestLine[1];
        var question = target.IndexOf('?');
        var rawPath = question < 0 ? target : target[..question];
        var path = Uri.UnescapeDataString(rawPath);
        string? version = null;
        var match = VersionPrefix().Match(path);
        if (match.Success)
        {
            version = match.Groups[1].Value;
            path = match.Groups[2].Value;
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        return new RequestHead
        {
            Method = requestLine[0],
            Path = path,
            ApiVersion = version,
            Query = question < 0 ? [] : QueryHelpers.ParseQuery(target[question..]),
            Headers = headers,
        };
    }

    [GeneratedRegex(@"^/v([0-9.]+)(/.*)$")]
    private static partial Regex VersionPrefix();
}
