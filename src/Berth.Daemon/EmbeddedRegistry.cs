using Berth.Daemon.Configuration;
using Berth.Distribution.Server;
using Berth.Distribution.Server.Http;
using Berth.Distribution.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Berth.Daemon;

/// <summary>
/// <c>berthd --registry HOST:PORT</c>: berth-registry's server in the daemon's process, on its own TCP listener and
/// in its own host, so nothing of the Engine API answers there. Storage is the filesystem driver under
/// <c>&lt;data-root&gt;/registry</c>; HTTPS with <c>--registry-tls-cert</c>/<c>--registry-tls-key</c>, and Basic auth
/// against <c>--registry-htpasswd</c> (bcrypt, as <c>berth-registry serve --htpasswd</c>), when given.
/// </summary>
internal static class EmbeddedRegistry
{
    /// <exception cref="ConfigurationException">A certificate, key or htpasswd file that cannot be used.</exception>
    public static WebApplication Build(EmbeddedRegistrySettings settings, string root, LogLevelSwitch logLevel)
    {
        HttpsConnectionAdapterOptions? tls = settings.Tls is { } files ? ServerTls.Options(files) : null;
        var builder = EmptyHost.Create(logLevel);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(settings.Address, listen =>
            {
                if (tls is not null) listen.UseHttps(tls);
            });
            kestrel.Limits.MaxRequestBodySize = null; // layers are unbounded; manifests are capped by their handler
        });
        try
        {
            builder.Services.AddBerthRegistry(new RegistryOptions { HtpasswdPath = settings.HtpasswdFile }, new FileSystemDriver(root));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"invalid --registry-htpasswd: {e.Message}");
        }
        var app = builder.Build();
        app.MapBerthRegistry();
        return app;
    }
}
