using System.Net;
using System.Security.Cryptography.X509Certificates;
using Berth.Distribution.Server;
using Berth.Distribution.Server.Http;
using Berth.Distribution.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Registry;

/// <summary><c>berth-registry serve</c>: an OCI distribution registry on Kestrel.</summary>
internal static class ServeCommand
{
    public static readonly HashSet<string> Options =
    [
        "addr", "root", "storage", "htpasswd", "tls-cert", "tls-key", "log-level",
        "auth-token-realm", "auth-token-issuer", "auth-token-service", "auth-token-key",
        "proxy-remote-url", "proxy-username", "proxy-password",
    ];

    public static readonly HashSet<string> Flags = ["auth-token-anonymous-pull"];

    public const string Usage = """
        berth-registry serve [options]
          --addr HOST:PORT            listen address (default 127.0.0.1:5000)
          --root DIR                  data root for --storage filesystem (default /var/lib/berth/registry)
          --storage filesystem|inmemory
          --htpasswd FILE             bcrypt htpasswd: Basic auth, or the token endpoint's users
          --auth-token-realm URL      enable Docker token auth; URL of the token endpoint
          --auth-token-service NAME   the token audience (default: the listen address)
          --auth-token-issuer NAME    the token issuer (default berth-registry)
          --auth-token-key FILE       PEM key (EC P-256 or RSA); a private key also serves tokens at /token
                                      (default: a fresh key each start, with the token endpoint served here)
          --auth-token-anonymous-pull anonymous clients get pull tokens
          --tls-cert FILE --tls-key FILE   serve HTTPS with this PEM certificate and key
          --proxy-remote-url URL      be a read-only pull-through cache (mirror) of that registry
          --proxy-username U --proxy-password P   credentials for the upstream
          --log-level LEVEL           Trace, Debug, Information (default), Warning, Error
        """;

    public static async Task<int> RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        await using var app = Build(line);
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary>Builds the host from the command line (tests call this with <c>--addr 127.0.0.1:0</c>).</summary>
    public static WebApplication Build(CommandLine line)
    {
        var addr = line.Get("addr", "127.0.0.1:5000");
        var driver = CreateDriver(line);
        var options = new RegistryOptions { HtpasswdPath = line.Get("htpasswd"), Token = TokenOptions(line, addr), Proxy = ProxyOptions(line) };
        // An empty host: no appsettings.json and no watcher on the working directory, which may hold --root.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseKestrelHttpsConfiguration();
        builder.Services.AddRoutingCore();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(Enum.Parse<LogLevel>(line.Get("log-level", "Information"), ignoreCase: true));
        builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, addr, line.Get("tls-cert"), line.Get("tls-key")));
        builder.Services.AddBerthRegistry(options, driver);
        var app = builder.Build();
        app.MapBerthRegistry();
        return app;
    }

    public static IStorageDriver CreateDriver(CommandLine line) => line.Get("storage", "filesystem") switch
    {
        "filesystem" => new FileSystemDriver(line.Get("root", "/var/lib/berth/registry")),
        "inmemory" => new InMemoryDriver(),
        var other => throw new UsageException($"unknown --storage \"{other}\" (filesystem or inmemory)"),
    };

    private static TokenAuthOptions? TokenOptions(CommandLine line, string addr)
    {
        if (line.Get("auth-token-realm") is not { } realm) return null;
        return new TokenAuthOptions
        {
            Realm = realm,
            Service = line.Get("auth-token-service", addr),
            Issuer = line.Get("auth-token-issuer", "berth-registry"),
            KeyPath = line.Get("auth-token-key"),
            AnonymousPull = line.Flag("auth-token-anonymous-pull"),
        };
    }

    private static ProxyOptions? ProxyOptions(CommandLine line) => line.Get("proxy-remote-url") is { } url
        ? new ProxyOptions { RemoteUrl = url, Username = line.Get("proxy-username"), Password = line.Get("proxy-password") }
        : null;

    private static void Listen(KestrelServerOptions kestrel, string addr, string? certificate, string? key)
    {
        if ((certificate is null) != (key is null)) throw new UsageException("--tls-cert and --tls-key go together");
        var colon = addr.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(addr.AsSpan(colon + 1), out var port)) throw new UsageException($"--addr \"{addr}\" is not HOST:PORT");
        var host = addr[..colon].Trim('[', ']');
        var endpoint = host switch
        {
            "" or "0.0.0.0" => new IPEndPoint(IPAddress.Any, port),
            "localhost" => new IPEndPoint(IPAddress.Loopback, port),
            _ => IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : throw new UsageException($"--addr host \"{host}\" is not an IP address"),
        };
        kestrel.Listen(endpoint, listen =>
        {
            if (certificate is not null) listen.UseHttps(X509Certificate2.CreateFromPemFile(certificate, key));
        });
    }
}
