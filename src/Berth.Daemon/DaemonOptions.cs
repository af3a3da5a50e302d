namespace Berth.Daemon;

/// <summary>berthd's command line: <c>-H unix:///path</c> (repeatable), <c>--data-root DIR</c>.</summary>
public sealed record DaemonOptions(IReadOnlyList<string> UnixSockets, string DataRoot)
{
    public const string DefaultSocket = "/run/berth/berth.sock";

    public static DaemonOptions Parse(IReadOnlyList<string> args)
    {
        var sockets = new List<string>();
        var dataRoot = Engine.EngineOptions.DefaultDataRoot;
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
                default:
                    throw new ArgumentException($"unknown flag: {name}");
            }
        }
        return new DaemonOptions(sockets.Count == 0 ? [DefaultSocket] : sockets, dataRoot);
    }
}
