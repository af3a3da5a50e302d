using System.Globalization;
using System.Net;
using Berth.Engine;
using Berth.Engine.Containers.Model;
using Berth.Engine.Containers.Oci;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Configuration;

/// <summary>
/// Turns daemon.json keys with flag-shaped values (from the command line or the file) into <see cref="DaemonSettings"/>,
/// with dockerd's defaults and dockerd's checks.
/// </summary>
internal static class SettingsReader
{
    public static DaemonSettings Read(IReadOnlyDictionary<string, IReadOnlyList<string>> values)
    {
        string? One(string key) => Last(values, key);
        IReadOnlyList<string> Many(string key) => values.TryGetValue(key, out var v) ? v : [];

        var tlsGiven = One("tls") is not null;
        var verifyGiven = One("tlsverify") is not null;
        var tls = tlsGiven && Bool("tls", One("tls")!);
        var verify = verifyGiven ? Bool("tlsverify", One("tlsverify")!) : Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY") is { Length: > 0 };
        // dockerd: --tlsverify (even =false) turns TLS on; TLS without an explicit --tlsverify verifies clients.
        if (verifyGiven || verify) tls = true;
        if (tls && !verifyGiven) verify = true;

        var hosts = Many("hosts").Where(h => h.Trim().Length > 0)
            .Select(h => HostAddress.Parse(h, tls, DaemonSettings.DefaultSocket)).ToList();
        if (hosts.Count == 0) hosts.Add(tls ? new TcpHost("127.0.0.1", HostAddress.TlsPort) : new UnixHost(DaemonSettings.DefaultSocket));

        var runtimes = WithInstalledRuntimes(Runtimes(Many("runtimes")));
        var execRoot = FullPath(One("exec-root")) ?? DaemonSettings.DefaultExecRoot;
        var settings = new DaemonSettings
        {
            Hosts = hosts,
            Tls = tls ? Tls(One("tlscacert"), One("tlscert"), One("tlskey"), verify) : null,
            TlsExplicit = tlsGiven || verifyGiven,
            Group = One("group") ?? DaemonSettings.DefaultGroup,
            GroupExplicit = One("group") is not null,
            DataRoot = FullPath(One("data-root")) ?? EngineOptions.DefaultDataRoot,
            ExecRoot = execRoot,
            CriSocket = One("cri-socket") is { } cri ? (cri.Length == 0 ? null : Path.GetFullPath(cri)) : Path.Combine(execRoot, "cri.sock"),
            CniConfDir = FullPath(One("cni-conf-dir")) ?? Cri.CriOptions.DefaultCniConfDirectory,
            CniBinDir = FullPath(One("cni-bin-dir")) ?? Cri.CriOptions.DefaultCniBinDirectory,
            CriStreamAddress = StreamAddress(One("cri-stream-address")),
            PidFile = FullPath(One("pidfile")) ?? DaemonSettings.DefaultPidFile,
            LiveRestore = One("live-restore") is not { } live || Bool("live-restore", live),
            DefaultUlimits = Ulimits(Many("default-ulimits")),
            LogConfig = LogConfig(One("log-driver"), Many("log-opts")),
            Runtimes = runtimes,
            DefaultRuntime = DefaultRuntime(One("default-runtime"), runtimes),
            DefaultRegistry = One("default-registry"),
            RegistryConfigDir = FullPath(One("registry-config-dir")),
            Registry = EmbeddedRegistry(One("registry"), One("registry-tls-cert"), One("registry-tls-key"), One("registry-htpasswd")),
            Network = Network(One("bridge"), One("bip"), Many("default-address-pools"), One("mtu")),
            Reloadable = ReadReloadable(values, new ReloadableSettings()),
        };
        RefusePlainTcp(settings);
        return settings;
    }

    /// <summary><paramref name="current"/> with the reloadable keys that <paramref name="values"/> holds.</summary>
    public static ReloadableSettings ReadReloadable(IReadOnlyDictionary<string, IReadOnlyList<string>> values, ReloadableSettings current)
    {
        string? One(string key) => Last(values, key);
        return current with
        {
            Debug = One("debug") is { } debug ? Bool("debug", debug) : current.Debug,
            LogLevel = One("log-level") is { } level ? LogLevel(level) : current.LogLevel,
            RegistryMirrors = values.TryGetValue("registry-mirrors", out var mirrors) ? [.. mirrors.Select(Mirror)] : current.RegistryMirrors,
            InsecureRegistries = values.TryGetValue("insecure-registries", out var insecure) ? [.. insecure] : current.InsecureRegistries,
            MaxConcurrentDownloads = One("max-concurrent-downloads") is { } downloads ? Positive("max-concurrent-downloads", downloads) : current.MaxConcurrentDownloads,
            MaxConcurrentUploads = One("max-concurrent-uploads") is { } uploads ? Positive("max-concurrent-uploads", uploads) : current.MaxConcurrentUploads,
        };
    }

    private static System.Net.IPEndPoint StreamAddress(string? address) =>
        address is null ? Cri.CriOptions.DefaultStreamAddress
        : System.Net.IPEndPoint.TryParse(address, out var endpoint) && address.Contains(':')
            ? endpoint
            : throw new ConfigurationException($"invalid --cri-stream-address \"{address}\": an IP address and a port are needed, e.g. 127.0.0.1:10010");

    private static Engine.Networks.NetworkOptions Network(string? bridge, string? bip, IReadOnlyList<string> pools, string? mtu)
    {
        var options = new Engine.Networks.NetworkOptions();
        if (bridge is not null)
        {
            if (bridge.Length is 0 or > 15 || bridge.Contains('/') || bridge.Any(char.IsWhiteSpace))
                throw new ConfigurationException($"invalid bridge name \"{bridge}\": 1 to 15 characters, no '/' or spaces");
            options = options with { DefaultBridge = bridge };
        }
        if (bip is not null)
        {
            if (!Berth.Network.Ipam.Ipv4.TryParseHostCidr(bip, out _, out _))
                throw new ConfigurationException($"invalid --bip \"{bip}\": an IPv4 address with its prefix is needed, e.g. 172.17.0.1/16");
            options = options with { Bip = bip };
        }
        if (pools.Count > 0)
        {
            try
            {
                options = options with { AddressPools = [.. pools.Select(Berth.Network.Ipam.AddressPool.Parse)] };
            }
            catch (FormatException e)
            {
                throw new ConfigurationException(e.Message);
            }
        }
        if (mtu is not null)
            options = options with { Mtu = int.TryParse(mtu, out var m) && m is >= 68 and <= 65535 ? m : throw new ConfigurationException($"invalid MTU \"{mtu}\"") };
        return options;
    }

    /// <summary>
    /// Plain TCP gives root on this machine to whoever reaches the port: as dockerd, berthd only does it when told so
    /// explicitly (<c>--tls=false</c>), and then warns (see <see cref="DaemonLog"/>).
    /// </summary>
    private static void RefusePlainTcp(DaemonSettings settings)
    {
        if (settings.Tls is { Verify: true } || settings.TlsExplicit) return;
        if (settings.Hosts.OfType<TcpHost>().FirstOrDefault() is { } tcp)
            throw new ConfigurationException(
                $"refusing to serve {tcp} without TLS: binding to an IP address without --tlsverify gives root access on this machine to everyone "
                + "who can reach it. Use --tlsverify with --tlscacert, --tlscert and --tlskey, or say so explicitly with '--tls=false' or '--tlsverify=false'");
    }

    private static TlsSettings Tls(string? ca, string? cert, string? key, bool verify)
    {
        var certPath = Environment.GetEnvironmentVariable("DOCKER_CERT_PATH") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } c ? c
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker"));
        var certFile = FullPath(cert) ?? Path.Combine(certPath, "cert.pem");
        var keyFile = FullPath(key) ?? Path.Combine(certPath, "key.pem");
        var caFile = FullPath(ca) ?? Path.Combine(certPath, "ca.pem");
        foreach (var file in verify ? [certFile, keyFile, caFile] : new[] { certFile, keyFile })
            if (!File.Exists(file))
                throw new ConfigurationException($"invalid TLS configuration: could not read {file}: open {file}: no such file or directory");
        return new TlsSettings(certFile, keyFile, verify ? caFile : null, verify);
    }

    /// <summary>The containers' default log driver, checked as dockerd checks it at start.</summary>
    private static LogConfig LogConfig(string? driver, IReadOnlyList<string> options)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var (key, value) = option.Split('=', 2) is [var k, var v] && k.Length > 0 ? (k, v)
                : throw new ConfigurationException($"invalid log-opt \"{option}\": a key=value pair is needed");
            config[key] = value;
        }
        var log = new LogConfig(driver is null or "" ? Engine.Containers.Logs.LogDrivers.JsonFile : driver, config);
        try
        {
            Engine.Containers.Logs.LogDrivers.Validate(log);
        }
        catch (EngineException e)
        {
            throw new ConfigurationException("failed to set log opts: " + e.Message);
        }
        return log;
    }

    private static List<Ulimit> Ulimits(IReadOnlyList<string> values)
    {
        var ulimits = new Dictionary<string, Ulimit>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var ulimit = Ulimit(value);
            ulimits[ulimit.Name] = ulimit;
        }
        return [.. ulimits.Values];
    }

    /// <summary>go-units' <c>name=soft[:hard]</c> (hard defaults to soft; -1 is unlimited).</summary>
    private static Ulimit Ulimit(string value)
    {
        var (name, limits) = value.Split('=', 2) is [var n, var l] ? (n, l) : throw new ConfigurationException($"invalid ulimit argument: {value}");
        var parts = limits.Split(':');
        if (parts.Length > 2 || !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var soft))
            throw new ConfigurationException($"invalid ulimit argument: {value}");
        var hard = soft;
        if (parts.Length == 2 && !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out hard))
            throw new ConfigurationException($"invalid ulimit argument: {value}");
        var ulimit = new Ulimit(name, soft, hard);
        try
        {
            Engine.Containers.Oci.Ulimits.Validate(ulimit);
        }
        catch (EngineException e)
        {
            throw new ConfigurationException(e.Message);
        }
        return ulimit;
    }

    /// <summary>dockerd's <c>--add-runtime name=path</c>: lower-cased names, each once, the stock name reserved.</summary>
    private static Dictionary<string, string> Runtimes(IReadOnlyList<string> values)
    {
        var runtimes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var (name, path) = value.Split('=', 2) is [var n, var p] && n.Trim().Length > 0 && p.Trim().Length > 0
                ? (n.Trim().ToLowerInvariant(), p.Trim()) : throw new ConfigurationException($"invalid runtime argument: {value}");
            if (name == DaemonSettings.StockRuntime) throw new ConfigurationException($"runtime name '{DaemonSettings.StockRuntime}' is reserved");
            if (!runtimes.TryAdd(name, path)) throw new ConfigurationException($"runtime '{name}' was already defined");
        }
        return runtimes;
    }

    /// <summary>runc and crun, registered under their names when installed and not added under those names already.</summary>
    private static Dictionary<string, string> WithInstalledRuntimes(Dictionary<string, string> runtimes)
    {
        foreach (var name in (string[])["runc", "crun"])
        {
            if (!runtimes.ContainsKey(name) && InstalledProgram(name) is { } path) runtimes[name] = path;
        }
        return runtimes;
    }

    private static string? InstalledProgram(string name) =>
        $"{Environment.GetEnvironmentVariable("PATH")}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".Split(':')
            .Where(dir => dir.StartsWith('/'))
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>dockerd's check that the default runtime exists.</summary>
    private static string DefaultRuntime(string? name, IReadOnlyDictionary<string, string> runtimes) => name switch
    {
        null or DaemonSettings.StockRuntime => DaemonSettings.StockRuntime,
        _ when runtimes.ContainsKey(name) => name,
        _ => throw new ConfigurationException($"specified default runtime '{name}' does not exist"),
    };

    /// <summary>
    /// <c>--registry</c> and its TLS and htpasswd. A loopback address needs neither (only this machine reaches it); any
    /// other address is served only with both, as anyone who reaches it could otherwise read and overwrite its images.
    /// </summary>
    private static EmbeddedRegistrySettings? EmbeddedRegistry(string? address, string? cert, string? key, string? htpasswd)
    {
        if (address is null)
            return cert is null && key is null && htpasswd is null ? null
                : throw new ConfigurationException("--registry-tls-cert, --registry-tls-key and --registry-htpasswd configure --registry, which is not given");
        var endpoint = IPEndPoint.TryParse(address, out var parsed) && parsed.Port > 0
            ? parsed : throw new ConfigurationException($"invalid --registry address \"{address}\": want IP:PORT");
        if ((cert is null) != (key is null)) throw new ConfigurationException("--registry-tls-cert and --registry-tls-key go together");
        if (!IPAddress.IsLoopback(endpoint.Address) && (cert is null || htpasswd is null))
        {
            var (missing, flags) = (cert, htpasswd) switch
            {
                (null, null) => ("TLS and authentication", "--registry-tls-cert, --registry-tls-key and --registry-htpasswd"),
                (null, _) => ("TLS", "--registry-tls-cert and --registry-tls-key"),
                _ => ("authentication", "--registry-htpasswd"),
            };
            throw new ConfigurationException($"refusing to serve a registry on {address} without {missing}: a --registry address other than loopback needs {flags}");
        }
        var tls = cert is null ? null : new TlsSettings(Existing(cert), Existing(key!), null, Verify: false);
        return new EmbeddedRegistrySettings(endpoint, tls, htpasswd is null ? null : Existing(htpasswd));
    }

    private static string Existing(string path)
    {
        var file = Path.GetFullPath(path);
        return File.Exists(file) ? file : throw new ConfigurationException($"could not read {file}: open {file}: no such file or directory");
    }

    private static Uri Mirror(string mirror) =>
        Uri.TryCreate(mirror, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri : throw new ConfigurationException($"invalid mirror: \"{mirror}\" is not an http(s) URL");

    private static LogLevel LogLevel(string level) => level switch
    {
        "debug" => Microsoft.Extensions.Logging.LogLevel.Debug,
        "info" => Microsoft.Extensions.Logging.LogLevel.Information,
        "warn" or "warning" => Microsoft.Extensions.Logging.LogLevel.Warning,
        "error" => Microsoft.Extensions.Logging.LogLevel.Error,
        "fatal" or "panic" => Microsoft.Extensions.Logging.LogLevel.Critical,
        _ => throw new ConfigurationException($"invalid logging level: {level}"),
    };

    private static int Positive(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new ConfigurationException($"invalid {key}: {value}: must be a positive number");

    private static bool Bool(string key, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "t" => true,
        "false" or "0" or "f" => false,
        _ => throw new ConfigurationException($"invalid argument \"{value}\" for \"--{key}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax"),
    };

    /// <summary>A single-valued key's value: the last one given, as pflag keeps the last of a repeated flag.</summary>
    private static string? Last(IReadOnlyDictionary<string, IReadOnlyList<string>> values, string key) =>
        values.TryGetValue(key, out var v) && v.Count > 0 ? v[^1] : null;

    private static string? FullPath(string? path) => string.IsNullOrEmpty(path) ? null : Path.GetFullPath(path);
}
