using System.CommandLine;

namespace Berth.Daemon.Configuration;

/// <summary>
/// berthd's command line: dockerd's flags that berthd has (same names, shorthands and daemon.json keys), and berthd's
/// own <c>--default-registry</c>, <c>--cri-socket</c>, and <c>--registry</c> with its TLS and htpasswd. Each flag is declared with the daemon.json key it stands for,
/// which is how a key given both ways is found.
/// </summary>
internal sealed class DaemonFlags
{
    public Option<string[]> Host { get; } = List("--host", "Daemon socket(s) to connect to", "-H");
    public Option<bool> Tls { get; } = Bool("--tls", "Use TLS; implied by --tlsverify");
    public Option<bool> TlsVerify { get; } = Bool("--tlsverify", "Use TLS and verify the remote");
    public Option<string> TlsCaCert { get; } = Text("--tlscacert", "Trust certs signed only by this CA (default \"$DOCKER_CERT_PATH/ca.pem\")");
    public Option<string> TlsCert { get; } = Text("--tlscert", "Path to TLS certificate file (default \"$DOCKER_CERT_PATH/cert.pem\")");
    public Option<string> TlsKey { get; } = Text("--tlskey", "Path to TLS key file (default \"$DOCKER_CERT_PATH/key.pem\")");
    public Option<string> Group { get; } = Text("--group", $"Group for the unix socket (default \"{DaemonSettings.DefaultGroup}\")", "-G");
    public Option<string> DataRoot { get; } = Text("--data-root", $"Root directory of persistent Berth state (default \"{Engine.EngineOptions.DefaultDataRoot}\")");
    public Option<string> ExecRoot { get; } = Text("--exec-root", $"Root directory for execution state files (default \"{DaemonSettings.DefaultExecRoot}\")");
    public Option<string> PidFile { get; } = Text("--pidfile", $"Path to use for daemon PID file (default \"{DaemonSettings.DefaultPidFile}\")", "-p");
    public Option<bool> Debug { get; } = Bool("--debug", "Enable debug mode", "-D");
    public Option<string> LogLevel { get; } = Text("--log-level", "Set the logging level (\"debug\"|\"info\"|\"warn\"|\"error\"|\"fatal\") (default \"info\")", "-l");
    public Option<string> ConfigFile { get; } = Text("--config-file", $"Daemon configuration file (default \"{DaemonSettings.DefaultConfigFile}\")");
    public Option<bool> LiveRestore { get; } = Bool("--live-restore", "Keep containers running while berthd is down, and adopt them when it starts (default true)");
    public Option<string> MaxConcurrentDownloads { get; } =
        Text("--max-concurrent-downloads", $"Set the max concurrent downloads (default {ReloadableSettings.DefaultMaxConcurrentDownloads})", helpName: "int");
    public Option<string> MaxConcurrentUploads { get; } =
        Text("--max-concurrent-uploads", $"Set the max concurrent uploads (default {ReloadableSettings.DefaultMaxConcurrentUploads})", helpName: "int");
    public Option<string> LogDriver { get; } = Text("--log-driver", "Default driver for container logs (default \"json-file\")");
    public Option<string[]> LogOpt { get; } = List("--log-opt", "Default log driver options for containers (key=value)");
    public Option<string[]> DefaultUlimit { get; } = List("--default-ulimit", "Default ulimits for containers (name=soft[:hard])");
    public Option<string> DefaultRuntime { get; } = Text("--default-runtime", $"Default OCI runtime for containers (default \"{DaemonSettings.StockRuntime}\")");
    public Option<string[]> AddRuntime { get; } = List("--add-runtime", "Register an additional OCI compatible runtime (name=path)");
    public Option<string[]> RegistryMirror { get; } = List("--registry-mirror", "Preferred registry mirror");
    public Option<string[]> InsecureRegistry { get; } = List("--insecure-registry", "Enable insecure registry communication");
    public Option<string> RegistryConfigDir { get; } =
        Text("--registry-config-dir", "Directory of per-registry mirror configurations (<registry>/hosts.toml, as containerd's)");
    public Option<string> DefaultRegistry { get; } = Text("--default-registry", "Registry (host[:port]) that docker.io names are pulled from instead of Docker Hub");
    public Option<string> Registry { get; } = Text("--registry", "Also serve an OCI registry from the data root on this address (IP:PORT)");
    public Option<string> RegistryTlsCert { get; } = Text("--registry-tls-cert", "Serve --registry over HTTPS with this PEM certificate (with --registry-tls-key)");
    public Option<string> RegistryTlsKey { get; } = Text("--registry-tls-key", "Path to the PEM key of --registry-tls-cert");
    public Option<string> Bridge { get; } = Text("--bridge", $"The Linux bridge of the default network (default \"{Engine.Networks.NetworkNames.DefaultBridgeInterface}\")", "-b");
    public Option<string> Bip { get; } = Text("--bip", "Specify default-bridge IPv4 network");
    public Option<string[]> DefaultAddressPool { get; } = List("--default-address-pool", "Default address pools for node specific local networks");
    public Option<string> Mtu { get; } = Text("--mtu", "Set the containers network MTU (default 1500)", helpName: "int");
    public Option<string> CriSocket { get; } =
        Text("--cri-socket", "Serve the Kubernetes CRI (runtime.v1) on this UNIX socket; \"\" turns it off (default \"<exec-root>/cri.sock\")");
    public Option<string> CniConfDir { get; } = Text("--cni-conf-dir", $"Directory of the CNI configuration pods are networked with (default \"{Cri.CriOptions.DefaultCniConfDirectory}\")");
    public Option<string> CniBinDir { get; } = Text("--cni-bin-dir", $"Directory of the CNI plugins (default \"{Cri.CriOptions.DefaultCniBinDirectory}\")");
    public Option<string> CriStreamAddress { get; } =
        Text("--cri-stream-address", $"ADDRESS:PORT of the CRI's streaming server (exec, attach, port-forward; port 0: any free port) (default \"{Cri.CriOptions.DefaultStreamAddress}\")");
    public Option<string> RegistryHtpasswd { get; } = Text("--registry-htpasswd", "Require Basic auth on --registry, checked against this bcrypt htpasswd file");

    public RootCommand Command { get; }

    /// <summary>Each flag's daemon.json key (<c>hosts</c> for <c>-H</c>, <c>registry-mirrors</c> for <c>--registry-mirror</c>…).</summary>
    public IReadOnlyDictionary<Option, string> Keys { get; }

    public DaemonFlags()
    {
        Keys = new Dictionary<Option, string>
        {
            [Host] = "hosts", [Tls] = "tls", [TlsVerify] = "tlsverify", [TlsCaCert] = "tlscacert", [TlsCert] = "tlscert",
            [TlsKey] = "tlskey", [Group] = "group", [DataRoot] = "data-root", [ExecRoot] = "exec-root", [PidFile] = "pidfile",
            [Debug] = "debug", [LogLevel] = "log-level", [ConfigFile] = "config-file", [LiveRestore] = "live-restore",
            [MaxConcurrentDownloads] = "max-concurrent-downloads", [MaxConcurrentUploads] = "max-concurrent-uploads",
            [LogDriver] = "log-driver", [LogOpt] = "log-opts", [DefaultUlimit] = "default-ulimits", [DefaultRuntime] = "default-runtime", [AddRuntime] = "runtimes",
            [RegistryMirror] = "registry-mirrors", [InsecureRegistry] = "insecure-registries",
            [RegistryConfigDir] = "registry-config-dir",
            [DefaultRegistry] = "default-registry", [Registry] = "registry",
            [RegistryTlsCert] = "registry-tls-cert", [RegistryTlsKey] = "registry-tls-key", [RegistryHtpasswd] = "registry-htpasswd",
            [Bridge] = "bridge", [Bip] = "bip", [DefaultAddressPool] = "default-address-pools", [Mtu] = "mtu",
            [CriSocket] = "cri-socket", [CniConfDir] = "cni-conf-dir", [CniBinDir] = "cni-bin-dir", [CriStreamAddress] = "cri-stream-address",
        };
        Command = new RootCommand("berthd: a self-sufficient runtime for containers, serving Docker's Engine API.");
        foreach (var option in Keys.Keys) Command.Options.Add(option);
    }

    private static Option<string> Text(string name, string description, string? alias = null, string helpName = "string") =>
        Described(alias is null ? new Option<string>(name) : new Option<string>(name, alias), description, helpName);

    private static Option<bool> Bool(string name, string description, string? alias = null) =>
        Described(alias is null ? new Option<bool>(name) : new Option<bool>(name, alias), description, null);

    /// <summary>A repeatable flag: one value per occurrence (<c>-H a -H b</c>), as pflag's lists.</summary>
    private static Option<string[]> List(string name, string description, string? alias = null) =>
        Described(alias is null ? new Option<string[]>(name) : new Option<string[]>(name, alias), description, "list");

    private static T Described<T>(T option, string description, string? helpName) where T : Option
    {
        option.Description = description;
        if (helpName is not null) option.HelpName = helpName;
        return option;
    }
}
