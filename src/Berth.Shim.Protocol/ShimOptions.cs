namespace Berth.Shim.Protocol;

/// <summary>
/// berth-shim's command line, one type for both sides: the daemon builds it (<see cref="Arguments"/>), the shim reads
/// it (<see cref="Parse"/>). <see cref="ShimProtocol"/> is the contract of its socket.
/// </summary>
public sealed record ShimOptions
{
    public required string Id { get; init; }
    public required string Bundle { get; init; }
    public required string RuntimeRoot { get; init; }
    public required string Socket { get; init; }
    public required string Log { get; init; }
    public required string ExitFile { get; init; }

    /// <summary>The berth-runtime executable for the in-container stage (default: next to the shim).</summary>
    public required string Stage { get; init; }

    /// <summary>Another OCI runtime's binary with runc's command line (runc, crun); null runs berth-runtime's library.</summary>
    public string? Runtime { get; init; }
    public bool Tty { get; init; }
    public bool Stdin { get; init; }
    public bool StdinOnce { get; init; }

    /// <summary><c>--log-driver none</c>: nothing is logged.</summary>
    public bool NoLog { get; init; }

    /// <summary>The log's rotation: the size that starts a new file (-1: never), how many files are kept, gzip or not.</summary>
    public long LogMaxSize { get; init; } = -1;
    public int LogMaxFiles { get; init; } = 1;
    public bool LogCompress { get; init; }

    /// <summary>The log is written in the Kubernetes CRI's format rather than Docker's json-file.</summary>
    public bool CriLog { get; init; }

    /// <summary>The terminal's initial size; 0 when not given.</summary>
    public ushort ConsoleHeight { get; init; }
    public ushort ConsoleWidth { get; init; }

    public IReadOnlyList<string> Arguments()
    {
        var args = new List<string>
        {
            "berth-shim", "--id", Id, "--bundle", Bundle, "--runtime-root", RuntimeRoot, "--socket", Socket, "--log", Log,
            "--exit-file", ExitFile, "--stage", Stage,
        };
        if (Runtime is not null) args.AddRange(["--runtime", Runtime]);
        if (Tty) args.Add("--tty");
        if (Stdin) args.Add("--stdin");
        if (StdinOnce) args.Add("--stdin-once");
        if (NoLog) args.Add("--no-log");
        if (LogMaxSize > 0) args.AddRange(["--log-max-size", LogMaxSize.ToString(), "--log-max-file", LogMaxFiles.ToString()]);
        if (LogCompress) args.Add("--log-compress");
        if (CriLog) args.Add("--cri-log");
        if (ConsoleHeight > 0 && ConsoleWidth > 0)
            args.AddRange(["--console-height", ConsoleHeight.ToString(), "--console-width", ConsoleWidth.ToString()]);
        return args;
    }

    public static ShimOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>();
        var flags = new HashSet<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--tty" or "--stdin" or "--stdin-once" or "--no-log" or "--log-compress" or "--cri-log":
                    flags.Add(name);
                    break;
                case "--id" or "--bundle" or "--runtime-root" or "--socket" or "--log" or "--exit-file" or "--stage" or "--runtime" or "--console-height" or "--console-width"
                    or "--log-max-size" or "--log-max-file":
                    if (i + 1 == args.Count) throw new ArgumentException($"{name} needs a value");
                    values[name] = args[++i];
                    break;
                default:
                    throw new ArgumentException($"unknown argument {name}");
            }
        }
        string Required(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"{name} is required");
        ushort Size(string name) =>
            !values.TryGetValue(name, out var v) ? (ushort)0 : ushort.TryParse(v, out var n) ? n : throw new ArgumentException($"{name}: not a size: {v}");
        return new ShimOptions
        {
            Id = Required("--id"),
            Bundle = Required("--bundle"),
            RuntimeRoot = Required("--runtime-root"),
            Socket = Required("--socket"),
            Log = Required("--log"),
            ExitFile = Required("--exit-file"),
            Stage = values.GetValueOrDefault("--stage") ?? Path.Combine(AppContext.BaseDirectory, "berth-runtime"),
            Runtime = values.GetValueOrDefault("--runtime"),
            Tty = flags.Contains("--tty"),
            Stdin = flags.Contains("--stdin"),
            StdinOnce = flags.Contains("--stdin-once"),
            NoLog = flags.Contains("--no-log"),
            LogMaxSize = values.TryGetValue("--log-max-size", out var maxSize) ? long.Parse(maxSize) : -1,
            LogMaxFiles = values.TryGetValue("--log-max-file", out var maxFiles) ? int.Parse(maxFiles) : 1,
            LogCompress = flags.Contains("--log-compress"),
            CriLog = flags.Contains("--cri-log"),
            ConsoleHeight = Size("--console-height"),
            ConsoleWidth = Size("--console-width"),
        };
    }
}
