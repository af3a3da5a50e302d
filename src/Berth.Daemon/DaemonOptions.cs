namespace Berth.Daemon;

/// <summary>
/// berthd's command line: <c>-H unix:///path</c> (repeatable), <c>--data-root DIR</c>, and dockerd's registry flags
/// <c>--registry-mirror URL</c>, <c>--insecure-registry HOST|CIDR</c> (repeatable), plus <c>--default-registry HOST</c>:
/// where docker.io names are pulled from instead of Docker Hub, and <c>--registry IP:PORT</c>: serve a registry there.
/// </summary>
public sealed record DaemonOptions(IReadOnlyList<string> UnixSockets, string DataRoot)
{
    public List<Uri> RegistryMirrors { get; } = [];
    public List<string> InsecureRegistries { get; } = [];
    public string? DefaultRegistry { get; private set; }
    public System.Net.IPEndPoint? Registry { get; private set; }

    public const string DefaultSocket = "/run/berth/berth.sock";

    public static DaemonOptions Parse(IReadOnlyList<string> args)
    {
        var sockets = new List<string>();
        var dataRoot = Engine.EngineOptions.DefaultDataRoot;
        var mirrors = new List<Uri>();
        var insecure = new List<string>();
        string? defaultRegistry = null;
        System.Net.IPEndPoint? registry = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, value) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            string Value() => value ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException($"flag needs an argument: {name}"));
            switch (name)
            {
                case "-H" or "--host":
                    var host = Value();
                    sockets.Add(host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..]
                        : throw new ArgumentException($"unsupported host \"{host}\": only unix:// sockets are served yet"));
                    break;
                case "--data-root":
                    dataRoot = Path.GetFullPath(Value());
                    break;
                case "--registry-mirror":
                    var mirror = Value();
                    mirrors.Add(Uri.TryCreate(mirror, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                        ? uri : throw new ArgumentException($"invalid mirror: \"{mirror}\" is not an http(s) URL"));
                    break;
                case "--insecure-registry":
                    insecure.Add(Value());
                    break;
                case "--default-registry":
                    defaultRegistry = Value();
                    break;
                case "--registry":
                    var address = Value();
                    registry = System.Net.IPEndPoint.TryParse(address, out var endpoint) && endpoint.Port > 0
                        ? endpoint : throw new ArgumentException($"invalid --registry address \"{address}\": want IP:PORT");
                    break;
                default:
                    throw new ArgumentException($"unknown flag: {name}");
            }
        }
        var options = new DaemonOptions(sockets.Count == 0 ? [DefaultSocket] : sockets, dataRoot) { DefaultRegistry = defaultRegistry, Registry = registry };
        options.RegistryMirrors.AddRange(mirrors);
        options.InsecureRegistries.AddRange(insecure);
        return options;
    }
}
