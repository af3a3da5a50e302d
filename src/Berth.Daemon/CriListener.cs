using Berth.Cri;
using Berth.Cri.Transport;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Daemon;

/// <summary>
/// The Kubernetes CRI's gRPC server on its own UNIX socket (0600: kubelet runs as root), in a host of its own so that
/// nothing of the Engine API answers there and its HTTP/2-only listener does not meet the hijack middleware. It
/// serves the same engine instances as the Engine API. The CRI's streaming server is a TCP listener of the same host.
/// </summary>
internal static class CriListener
{
    public static WebApplication Build(string socket, IServiceProvider engine, CriOptions options, LogLevelSwitch logLevel)
    {
        var builder = EmptyHost.Create(logLevel);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            ApiListeners.PrepareSocketPath(socket);
            kestrel.ListenUnixSocket(socket, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseLocalhostAuthority(); // kubelet and crictl 1.29 send the socket's path as the authority
            });
            // The streaming server: HTTP/1.1, where exec, attach and port-forward clients upgrade to SPDY.
            kestrel.Listen(options.StreamAddress, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddSingleton(engine.GetRequiredService<ContainerService>());
        builder.Services.AddSingleton(engine.GetRequiredService<ImageService>());
        builder.Services.AddSingleton(engine.GetRequiredService<ImageRemovalService>());
        builder.Services.AddBerthCri(options);
        var app = builder.Build();
        app.MapBerthCri();
        app.Lifetime.ApplicationStarted.Register(() => File.SetUnixFileMode(socket, UnixFileMode.UserRead | UnixFileMode.UserWrite));
        return app;
    }
}
