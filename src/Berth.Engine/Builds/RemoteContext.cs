using System.Text.RegularExpressions;
using Berth.Build;

namespace Berth.Engine.Builds;

/// <summary>
/// <c>POST /build?remote=</c> as moby's classic builder reads it: a git repository (<c>git://</c>, <c>git@</c>,
/// <c>github.com/</c>, or an http(s) URL ending in <c>.git</c> with an optional <c>#ref:subdir</c>), or an http(s) URL
/// of a context archive or of a plain Dockerfile, told apart by the response's Content-Type (sniffed when the server
/// says none or <c>application/octet-stream</c>). The daemon fetches them itself, through one HTTP client (also ADD's).
/// </summary>
internal static partial class RemoteContext
{
    /// <summary>The daemon's HTTP client for builds: downloads take as long as they take, the build's cancellation stops them.</summary>
    public static HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The session transport of the docker CLI's early BuildKit experiments, which the classic builder dropped.</summary>
    public const string ClientSession = "client-session";

    private const int PreambleLength = 100;

    public static bool IsUrl(string remote) =>
        remote.StartsWith("https://", StringComparison.Ordinal) || remote.StartsWith("http://", StringComparison.Ordinal);

    public static bool IsGitUrl(string remote) =>
        (IsUrl(remote) && GitPath().IsMatch(remote))
        || remote.StartsWith("git://", StringComparison.Ordinal) || remote.StartsWith("github.com/", StringComparison.Ordinal)
        || remote.StartsWith("git@", StringComparison.Ordinal);

    /// <summary>The body of <paramref name="url"/>, once its Content-Type says it is an archive or a Dockerfile.</summary>
    /// <exception cref="BuildException">the server cannot be reached or answers an error, an empty body, another type of content.</exception>
    public static async Task<Stream> DownloadAsync(string url, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new BuildException($"error downloading remote context {url}: {e.Message}", inner: e);
        }
        try
        {
            if ((int)response.StatusCode >= 400)
            {
                var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
                throw new BuildException($"error downloading remote context {url}: failed to GET {url} with status {(int)response.StatusCode} {response.ReasonPhrase}: {body}");
            }
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var preamble = new byte[PreambleLength];
            var length = await stream.ReadAtLeastAsync(preamble, preamble.Length, throwOnEndOfStream: false, cancellationToken);
            if (length == 0) throw new BuildException($"error detecting content type for remote {url}: empty response");
            var declared = response.Content.Headers.ContentType?.ToString() ?? "";
            var type = declared is "" or "application/octet-stream" ? Sniff(preamble.AsSpan(0, length)) : declared;
            if (!AcceptableType().IsMatch(type))
                throw new BuildException($"error detecting content type for remote {url}: unsupported Content-Type \"{declared}\"");
            return new PrefixedStream(preamble.AsMemory(0, length), stream, owner: response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Go's content sniffing as far as it matters here: gzip, other binary data, or text.</summary>
    private static string Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B, 0x08])) return "application/x-gzip";
        foreach (var b in head)
            if (b <= 0x08 || b == 0x0B || b is >= 0x0E and <= 0x1A || b is >= 0x1C and <= 0x1F) return "application/octet-stream";
        return "text/plain";
    }

    [GeneratedRegex(@"\.git(?:#.+)?$")]
    private static partial Regex GitPath();

    [GeneratedRegex(@"(?:application/(?:(?:x\-)?tar|octet\-stream|((?:x\-)?(?:gzip|bzip2?|xz)))|(?:text/plain))")]
    private static partial Regex AcceptableType();
}
