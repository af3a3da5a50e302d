using System.Net;
using Berth.Distribution.Server;
using Berth.Distribution.Server.Http;
using Berth.Distribution.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Berth.Daemon;

/// <summary>
/// <c>berthd --registry HOST:PORT</c>: berth-registry's server in the daemon's process, on its own TCP listener and
/// in its own host, so nothing of the Engine API answers there. Storage is the filesystem driver under
/// <c>&lt;data-root&gt;/registry</c>; no auth (as <c>berth-registry serve</c> without <c>--htpasswd</c>).
/// </summary>
internal static class EmbeddedRegistry
{
    public static WebApplication Build(IPEndPoint address, string root, LogLevelSwitch logLevel)
    {
        var builder = EmptyHost.Create(logLevel);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address);
            kestrel.Limits.MaxRequestBodySize = null; // layers are unbounded; manifests are capped by their handler
        });
        builder.Services.AddBerthRegistry(new RegistryOptions(), new FileSystemDriver(root));
        var app = builder.Build();
        app.MapBerthRegistry();
        return app;
    }
}
