using System.Net;
using Berth.Engine.Containers.Model;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Configuration;

/// <summary>berthd's configuration once the command line and daemon.json are merged and checked.</summary>
public sealed record DaemonSettings
{
    public const string DefaultSocket = "/run/berth/berth.sock";
    public const string DefaultExecRoot = "/run/berth";
    public const string DefaultPidFile = "/run/berth.pid";
    public const string DefaultConfigFile = "/etc/berth/daemon.json";

    /// <summary>The socket's group, as Docker's socket belongs to the <c>docker</c> group.</summary>
    public const string DefaultGroup = "berth";

    /// <summary>The runtime containers run with: berth-runtime's code inside each shim.</summary>
    public const string StockRuntime = Engine.EngineOptions.BerthRuntime;

    public required IReadOnlyList<HostAddress> Hosts { get; init; }
    public TlsSettings? Tls { get; init; }

    /// <summary>Whether the command line or daemon.json said <c>tls</c> or <c>tlsverify</c> at all (dockerd's explicit intent).</summary>
    public bool TlsExplicit { get; init; }

    public string Group { get; init; } = DefaultGroup;

    /// <summary>Whether <see cref="Group"/> was given (a missing default group only warns, a missing given one is an error).</summary>
    public bool GroupExplicit { get; init; }

    public string DataRoot { get; init; } = Engine.EngineOptions.DefaultDataRoot;
    public string ExecRoot { get; init; } = DefaultExecRoot;
    public string PidFile { get; init; } = DefaultPidFile;
    /// <summary>Whether containers keep running when berthd stops (berthd's default; dockerd's is false).</summary>
    public bool LiveRestore { get; init; } = true;
    public IReadOnlyList<Ulimit> DefaultUlimits { get; init; } = [];
    /// <summary><c>--log-driver</c> and <c>--log-opt</c> (daemon.json <c>log-driver</c>, <c>log-opts</c>).</summary>
    public LogConfig LogConfig { get; init; } = LogConfig.Default;
    public string DefaultRuntime { get; init; } = StockRuntime;
    public IReadOnlyDictionary<string, string> Runtimes { get; init; } = new Dictionary<string, string>();
    public string? DefaultRegistry { get; init; }

    /// <summary><c>--registry-config-dir</c>: per-registry mirrors, <c>&lt;registry&gt;/hosts.toml</c>; none when null.</summary>
    public string? RegistryConfigDir { get; init; }
    public EmbeddedRegistrySettings? Registry { get; init; }

    /// <summary>The Kubernetes CRI's socket (<c>--cri-socket</c>, <c>&lt;exec-root&gt;/cri.sock</c> by default); null when turned off.</summary>
    public string? CriSocket { get; init; }

    /// <summary><c>--cni-conf-dir</c> and <c>--cni-bin-dir</c>: the CNI configuration and plugins of the CRI's pods.</summary>
    public string CniConfDir { get; init; } = Cri.CriOptions.DefaultCniConfDirectory;
    public string CniBinDir { get; init; } = Cri.CriOptions.DefaultCniBinDirectory;

    /// <summary><c>--cri-stream-address</c>: where the CRI's streaming server listens (loopback, any free port, by default).</summary>
    public System.Net.IPEndPoint CriStreamAddress { get; init; } = Cri.CriOptions.DefaultStreamAddress;
    public Engine.Networks.NetworkOptions Network { get; init; } = new();
    public required ReloadableSettings Reloadable { get; init; }
}

/// <summary>The TLS of TCP (and fd://) listeners: the server's certificate, and the CA clients must be signed by.</summary>
/// <param name="CaFile">Null unless <see cref="Verify"/>.</param>
public sealed record TlsSettings(string CertFile, string KeyFile, string? CaFile, bool Verify);

/// <summary>
/// <c>--registry</c>: where the embedded registry listens, the certificate it serves HTTPS with (never verifying
/// clients), and the htpasswd file its Basic auth checks; no TLS and no auth when null.
/// </summary>
public sealed record EmbeddedRegistrySettings(IPEndPoint Address, TlsSettings? Tls, string? HtpasswdFile);

/// <summary>What a SIGHUP may change without a restart: dockerd's reloadable daemon.json keys that berthd has.</summary>
public sealed record ReloadableSettings
{
    public const int DefaultMaxConcurrentDownloads = 3, DefaultMaxConcurrentUploads = 5;

    public bool Debug { get; init; }
    public LogLevel LogLevel { get; init; } = LogLevel.Information;
    public IReadOnlyList<Uri> RegistryMirrors { get; init; } = [];
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];
    public int MaxConcurrentDownloads { get; init; } = DefaultMaxConcurrentDownloads;
    public int MaxConcurrentUploads { get; init; } = DefaultMaxConcurrentUploads;

    /// <summary>The level that applies: debug when <see cref="Debug"/>, else <see cref="LogLevel"/>.</summary>
    public LogLevel EffectiveLogLevel => Debug ? LogLevel.Debug : LogLevel;
}
