namespace Berth.Cli.Cli;

/// <summary>
/// Flags accepted before the command name, with docker's defaults: <c>DOCKER_TLS</c>/<c>DOCKER_TLS_VERIFY</c> turn
/// TLS on, the certificates default to <c>$DOCKER_CERT_PATH</c> or the config directory.
/// </summary>
internal sealed class GlobalOptions
{
    public const string CaFile = "ca.pem";
    public const string CertFile = "cert.pem";
    public const string KeyFile = "key.pem";

    private readonly List<string> _hosts = [];
    private FlagSet? _flags;

    public IReadOnlyList<string> Hosts => _hosts;
    public string? ConfigDirectory { get; private set; }
    public string? Context { get; private set; }
    public bool Debug { get; private set; }
    public string LogLevel { get; private set; } = "info";
    public bool ShowVersion { get; private set; }
    public bool Help { get; private set; }
    public bool Tls { get; private set; }
    public bool TlsVerify { get; private set; }
    public string TlsCaCert { get; private set; } = "";
    public string TlsCert { get; private set; } = "";
    public string TlsKey { get; private set; } = "";

    public bool Changed(string flag) => _flags?.Changed(flag) == true;

    public void Configure(FlagSet flags, Func<string, string?> environment)
    {
        _flags = flags;
        var configDirectory = DockerConfigFile.DirectoryFor(null, environment);
        var certPath = environment("DOCKER_CERT_PATH") is { Length: > 0 } p ? p : configDirectory;
        Tls = environment("DOCKER_TLS") is { Length: > 0 };
        TlsVerify = environment("DOCKER_TLS_VERIFY") is { Length: > 0 };
        TlsCaCert = Path.Combine(certPath, CaFile);
        TlsCert = Path.Combine(certPath, CertFile);
        TlsKey = Path.Combine(certPath, KeyFile);

        flags.String("config", null, "Location of client config files", v => ConfigDirectory = v, Quoted(configDirectory));
        flags.Bool("debug", 'D', "Enable debug mode", v => Debug = v);
        flags.String("log-level", 'l', "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")", v => LogLevel = v, "\"info\"");
        flags.Bool("tls", null, "Use TLS; implied by --tlsverify", v => Tls = v, Tls ? "true" : null);
        flags.Bool("tlsverify", null, "Use TLS and verify the remote", v => TlsVerify = v, TlsVerify ? "true" : null);
        flags.String("tlscacert", null, "Trust certs signed only by this CA", v => TlsCaCert = v, Quoted(TlsCaCert));
        flags.String("tlscert", null, "Path to TLS certificate file", v => TlsCert = v, Quoted(TlsCert));
        flags.String("tlskey", null, "Path to TLS key file", v => TlsKey = v, Quoted(TlsKey));
        flags.List("host", 'H', "Daemon socket to connect to", _hosts);
        flags.String("context", 'c', "Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with \"berth context use\")",
            v => Context = v);
        flags.Bool("version", 'v', "Print version information and quit", v => ShowVersion = v);
        flags.Bool("help", 'h', "Print usage", v => Help = v, hidden: true);
    }

    private static string Quoted(string path) => $"\"{path}\"";
}
