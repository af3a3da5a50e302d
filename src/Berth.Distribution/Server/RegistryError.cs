namespace Berth.Distribution.Server;

/// <summary>An error code of the distribution spec, with the HTTP status the registry answers it with.</summary>
public sealed record ErrorCode(string Code, int Status, string Message)
{
    public static readonly ErrorCode BlobUnknown = new("BLOB_UNKNOWN", 404, "blob unknown to registry");
    public static readonly ErrorCode BlobUploadInvalid = new("BLOB_UPLOAD_INVALID", 400, "blob upload invalid");
    public static readonly ErrorCode BlobUploadUnknown = new("BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry");
    public static readonly ErrorCode DigestInvalid = new("DIGEST_INVALID", 400, "provided digest did not match uploaded content");
    public static readonly ErrorCode ManifestBlobUnknown = new("MANIFEST_BLOB_UNKNOWN", 400, "manifest references a manifest or blob unknown to registry");
    public static readonly ErrorCode ManifestInvalid = new("MANIFEST_INVALID", 400, "manifest invalid");
    public static readonly ErrorCode ManifestUnknown = new("MANIFEST_UNKNOWN", 404, "manifest unknown to registry");
    public static readonly ErrorCode NameInvalid = new("NAME_INVALID", 400, "invalid repository name");
    public static readonly ErrorCode NameUnknown = new("NAME_UNKNOWN", 404, "repository name not known to registry");
    public static readonly ErrorCode SizeInvalid = new("SIZE_INVALID", 400, "provided length did not match content length");
    public static readonly ErrorCode Unauthorized = new("UNAUTHORIZED", 401, "authentication required");
    public static readonly ErrorCode Denied = new("DENIED", 403, "requested access to the resource is denied");
    public static readonly ErrorCode Unsupported = new("UNSUPPORTED", 405, "the operation is unsupported");
    public static readonly ErrorCode TooManyRequests = new("TOOMANYREQUESTS", 429, "too many requests");

    /// <summary>Not in the spec's table (which names no code for it); the reference registry uses the same.</summary>
    public static readonly ErrorCode RangeInvalid = new("RANGE_INVALID", 416, "requested range not satisfiable");

    /// <summary>The same code answered with another status (416 for an out-of-order chunk, 413 for a huge manifest).</summary>
    public ErrorCode WithStatus(int status) => this with { Status = status };
}

/// <summary>What the registry's core throws; the one error mapper turns it into the spec's JSON body.</summary>
public sealed class RegistryException(ErrorCode code, string? detail = null, Exception? inner = null)
    : Exception(detail is null ? code.Message : $"{code.Message}: {detail}", inner)
{
    public ErrorCode Code { get; } = code;

    public string? Detail { get; } = detail;

    /// <summary>Extra response headers the error needs (Range after a 416, WWW-Authenticate after a 401).</summary>
    public Dictionary<string, string> Headers { get; } = [];

    public RegistryException WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}
