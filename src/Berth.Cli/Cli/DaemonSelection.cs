using Berth.Api.Client;

namespace Berth.Cli.Cli;

/// <summary>
/// Which daemon the command talks to, chosen as docker chooses: <c>--context</c>; else the default context when
/// <c>-H</c> or <c>DOCKER_HOST</c> is given; else <c>DOCKER_CONTEXT</c>; else config.json's <c>currentContext</c>;
/// else the default context (<c>-H</c>, <c>DOCKER_HOST</c> or the default socket, with the global TLS flags).
/// A named context is read only when the daemon is first needed, so <c>context ls</c> works with a broken one.
/// </summary>
internal sealed class DaemonSelection(GlobalOptions globals, Func<string, string?> environment, ContextStore store, string? currentContext)
{
    public ContextStore Store { get; } = store;

    /// <summary>The context in use (<c>default</c> when none is named).</summary>
    public string ContextName =>
        globals.Context is { Length: > 0 } flag ? flag
        : globals.Hosts.Count > 0 || environment("DOCKER_HOST") is { Length: > 0 } ? ContextStore.DefaultName
        : environment("DOCKER_CONTEXT") is { Length: > 0 } variable ? variable
        : currentContext ?? ContextStore.DefaultName;

    /// <summary>The default context's host: <c>-H</c>, <c>DOCKER_HOST</c> or the default socket.</summary>
    public string DefaultHost => globals.Hosts.FirstOrDefault() is { Length: > 0 } host ? host
        : environment("DOCKER_HOST") is { Length: > 0 } variable ? variable : DaemonEndpoint.DefaultHost;

    /// <summary>docker's refusals of the global flags themselves, checked before any command runs; null when fine.</summary>
    public string? Conflict =>
        globals.Context is { Length: > 0 } && globals.Hosts.Count > 0 ? "conflicting options: cannot specify both --host and --context"
        : globals.Hosts.Count > 1 ? "Specify only one -H"
        : null;

    /// <exception cref="StatusException">The named context does not exist or cannot be read (docker's "Failed to initialize").</exception>
    public DaemonEndpoint Endpoint()
    {
        var name = ContextName;
        try
        {
            if (name == ContextStore.DefaultName)
                return DaemonEndpoint.Parse(DefaultHost, GlobalTls());
            var context = Store.Load(name);
            var tls = context.TlsFiles.Count > 0 || context.SkipTlsVerify
                ? new TlsSettings(context.TlsFiles.GetValueOrDefault("ca.pem"), context.TlsFiles.GetValueOrDefault("cert.pem"),
                    context.TlsFiles.GetValueOrDefault("key.pem"), Verify: !context.SkipTlsVerify)
                : null;
            return DaemonEndpoint.Parse(context.Host, tls);
        }
        catch (Exception e) when (e is ContextNotFoundException or InvalidDataException or FormatException)
        {
            throw new StatusException(1, $"Failed to initialize: unable to resolve docker endpoint: {e.Message}");
        }
    }

    /// <summary>
    /// The global flags' TLS: on with <c>--tls</c>, <c>--tlsverify</c> or their variables; a default certificate or key
    /// that does not exist is left out (the daemon may not ask for one), one named by its flag is required.
    /// </summary>
    private TlsSettings? GlobalTls()
    {
        if (!globals.Tls && !globals.TlsVerify && !globals.Changed("tlsverify"))
            return null;
        var cert = globals.Changed("tlscert") || File.Exists(globals.TlsCert) ? globals.TlsCert : null;
        var key = globals.Changed("tlskey") || File.Exists(globals.TlsKey) ? globals.TlsKey : null;
        return new TlsSettings(globals.TlsCaCert, cert, key, globals.TlsVerify);
    }
}
