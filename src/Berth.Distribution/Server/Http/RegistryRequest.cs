using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Berth.Distribution.Server.Http;

/// <summary>A routed registry request: the repository name and the path argument (reference, digest or upload id).</summary>
public sealed record RegistryRequest(HttpContext Http, string Name, string Argument, string V2Root)
{
    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;

    public CancellationToken Aborted => Http.RequestAborted;

    public string? Query(string key) => Request.Query.TryGetValue(key, out var values) ? values.ToString() : null;

    /// <summary>Parses <c>n</c> for list pagination (a non-negative integer, else 400).</summary>
    public int? PageSize()
    {
        var n = Query("n");
        if (string.IsNullOrEmpty(n)) return null;
        if (!int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            throw new RegistryException(ErrorCode.Unsupported.WithStatus(400), $"invalid n \"{n}\"");
        return size;
    }

    /// <summary>The request's Content-Length when the client sent one.</summary>
    public long? ContentLength => Request.ContentLength;

    /// <summary>True when the request carries a body (a length above zero, or chunked).</summary>
    public bool HasBody => Request.ContentLength is > 0 || (Request.ContentLength is null && Request.Headers.TransferEncoding.Count > 0);

    public string RepositoryPath(string suffix) => $"{V2Root}{Name}/{suffix}";
}
