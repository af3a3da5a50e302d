using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Api.Models;

namespace Berth.Api.Client;

/// <summary>
/// The upgrade handshake HttpClient cannot do: the request is written by hand on a raw connection
/// (<c>Connection: Upgrade</c>, <c>Upgrade: tcp</c>, a body for exec start), the response head is read byte-wise,
/// <c>101</c> hands back the connection; anything else is the daemon's JSON error.
/// </summary>
internal static class Hijack
{
    private const int MaxHeadBytes = 64 * 1024;

    public static async Task<HijackedStream> PostAsync(DaemonEndpoint endpoint, string pathAndQuery, byte[]? jsonBody,
        CancellationToken cancellationToken)
    {
        DaemonConnection connection;
        try
        {
            connection = await endpoint.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new DaemonUnreachableException(endpoint, e);
        }
        try
        {
            var stream = connection.Stream;
            await stream.WriteAsync(BuildRequest(endpoint, pathAndQuery, jsonBody), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            var (head, leftover) = await ReadHeadAsync(stream, cancellationToken).ConfigureAwait(false);
            var response = ResponseHead.Parse(head);
            if (response.Status == 101)
                return new HijackedStream(connection, leftover, response.Header("Content-Type") ?? "application/vnd.docker.raw-stream");
            var body = await ReadBodyAsync(stream, response, leftover, cancellationToken).ConfigureAwait(false);
            connection.Dispose();
            if (response.Status is >= 200 and < 300)
                throw new ApiException((HttpStatusCode)response.Status, $"unable to upgrade to tcp, received {response.Status}");
            throw new ApiException((HttpStatusCode)response.Status, ErrorMessage(response.Header("Content-Type"), body));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    internal static byte[] BuildRequest(DaemonEndpoint endpoint, string pathAndQuery, byte[]? jsonBody)
    {
        var head = new StringBuilder()
            .Append("POST ").Append(pathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(endpoint.HostHeader).Append("\r\n")
            .Append("User-Agent: ").Append(BerthClient.UserAgent).Append("\r\n")
            .Append("Connection: Upgrade\r\n")
            .Append("Upgrade: tcp\r\n");
        if (jsonBody is not null)
            head.Append("Content-Type: application/json\r\n").Append("Content-Length: ").Append(jsonBody.Length).Append("\r\n");
        else
            head.Append("Content-Type: text/plain\r\n");
        head.Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        return jsonBody is null ? headBytes : [.. headBytes, .. jsonBody];
    }

    private static async Task<(byte[] Head, byte[] Leftover)> ReadHeadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var filled = 0;
        while (true)
        {
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
                return (buffer[..(end + 4)], buffer[(end + 4)..filled]);
            if (filled == buffer.Length)
            {
                if (buffer.Length >= MaxHeadBytes)
                    throw new IOException("the daemon's response head is too large");
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
                throw new IOException("the daemon closed the connection before answering the upgrade");
            filled += n;
        }
    }

    private static async Task<byte[]> ReadBodyAsync(Stream stream, ResponseHead response, byte[] leftover, CancellationToken cancellationToken)
    {
        var all = new MemoryStream();
        all.Write(leftover);
        var contentLength = response.Header("Content-Length") is { } cl && long.TryParse(cl, out var len) ? len : -1;
        var chunked = response.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;
        var buffer = new byte[4096];
        while (contentLength < 0 || all.Length < contentLength)
        {
            if (chunked && ChunkedBody.TryDecode(all.GetBuffer().AsSpan(0, (int)all.Length), out var decoded))
                return decoded;
            var n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0)
                break;
            all.Write(buffer, 0, n);
        }
        var bytes = all.ToArray();
        if (chunked && ChunkedBody.TryDecode(bytes, out var rest))
            return rest;
        return contentLength >= 0 && bytes.Length > contentLength ? bytes[..(int)contentLength] : bytes;
    }

    internal static string ErrorMessage(string? contentType, byte[] body)
    {
        if (contentType is not null && contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                if (JsonSerializer.Deserialize(body, ApiJsonContext.Default.ErrorResponse) is { Message: { } message })
                    return message;
            }
            catch (JsonException)
            {
            }
        }
        var text = Encoding.UTF8.GetString(body).Trim();
        return text.Length > 0 ? text : "(empty error body)";
    }

    /// <summary>Status line and headers of an HTTP/1.1 response.</summary>
    internal sealed class ResponseHead
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);

        public int Status { get; private init; }

        public string? Header(string name) => _headers.GetValueOrDefault(name);

        public static ResponseHead Parse(byte[] head)
        {
            var lines = Encoding.Latin1.GetString(head).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            var parts = lines.Length > 0 ? lines[0].Split(' ', 3) : [];
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], out var status))
                throw new IOException($"malformed response from the daemon: {(lines.Length > 0 ? lines[0] : "")}");
            var result = new ResponseHead { Status = status };
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':');
                if (colon > 0)
                    result._headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            return result;
        }
    }

    /// <summary>Decodes a complete chunked body; false while the terminating zero-size chunk has not arrived.</summary>
    internal static class ChunkedBody
    {
        public static bool TryDecode(ReadOnlySpan<byte> data, out byte[] body)
        {
            var output = new MemoryStream();
            body = [];
            while (true)
            {
                var lineEnd = data.IndexOf("\r\n"u8);
                if (lineEnd < 0)
                    return false;
                var sizeText = Encoding.ASCII.GetString(data[..lineEnd]).Split(';')[0].Trim();
                if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out var size))
                    return false;
                data = data[(lineEnd + 2)..];
                if (size == 0)
                {
                    body = output.ToArray();
                    return true;
                }
                if (data.Length < size + 2)
                    return false;
                output.Write(data[..size]);
                data = data[(size + 2)..];
            }
        }
    }
}
