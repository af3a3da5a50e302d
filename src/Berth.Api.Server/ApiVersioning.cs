using System.Text.RegularExpressions;
using Berth.Engine;
using Berth.Engine.System;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Server;

/// <summary>
/// Docker's version middleware: every path may carry a <c>/v1.xx</c> prefix (checked against 1.24–1.44, then stripped,
/// so routes are declared once), and every response carries Api-Version, Ostype, Server and Docker-Experimental:
/// without Api-Version the docker CLI falls back to API 1.24.
/// </summary>
public sealed partial class ApiVersioning(RequestDelegate next)
{
    public const string RequestedVersionKey = "berth.api-version";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers["Api-Version"] = $"{EngineVersion.MaxApi.Major}.{EngineVersion.MaxApi.Minor}";
        headers["Ostype"] = "linux";
        headers["Server"] = $"Docker/{EngineVersion.Product} (linux)";
        headers["Docker-Experimental"] = "false";
        // One request per connection: attach and exec start must be a connection's first request, where HijackMiddleware
        // sees them before Kestrel (docker-py sends them on pooled connections). A UNIX-socket connect costs microseconds.
        headers.Connection = "close";

        var match = VersionPrefix().Match(context.Request.Path.Value ?? "");
        if (match.Success)
        {
            var requested = Check(match.Groups[1].Value);
            context.Items[RequestedVersionKey] = requested;
            context.Request.Path = match.Groups[2].Value.Length == 0 ? "/" : match.Groups[2].Value;
        }
        return next(context);
    }

    /// <summary>A requested version within 1.24–1.44, or Docker's error naming the bound it breaks.</summary>
    public static Version Check(string version)
    {
        var requested = Version.TryParse(version, out var v) ? v : null;
        if (requested is null || requested < EngineVersion.MinApi)
            throw new EngineException(ErrorKind.InvalidArgument,
                $"client version {version} is too old. Minimum supported API version is {EngineVersion.MinApi}, please upgrade your client to a newer version");
        if (requested > EngineVersion.MaxApi)
            throw new EngineException(ErrorKind.InvalidArgument,
                $"client version {version} is too new. Maximum supported API version is {EngineVersion.MaxApi}");
        return requested;
    }

    [GeneratedRegex(@"^/v([0-9.]+)(/.*)?$")]
    private static partial Regex VersionPrefix();
}
