namespace Berth.Engine.System;

/// <summary>The daemon's identity and what it reports of itself and its host (version, info, ping).</summary>
public sealed class SystemService
{
    private readonly EngineOptions _options;

    public SystemService(EngineOptions options, HostFacts host)
    {
        _options = options;
        Host = host;
        Directory.CreateDirectory(options.DataRoot);
        Id = LoadOrCreateId(Path.Combine(options.DataRoot, "engine-id"));
    }

    /// <summary>Stable across restarts: kept in the data root.</summary>
    public string Id { get; }

    public HostFacts Host { get; }

    public string DataRoot => _options.DataRoot;

    public bool LiveRestore => _options.LiveRestore;

    public string DefaultRuntime => _options.DefaultRuntime;

    /// <summary>The log driver of containers that name none (<c>--log-driver</c>).</summary>
    public string LoggingDriver => _options.DefaultLogConfig.Type;

    /// <summary>Every runtime by name and path: berth-runtime (named <c>berth</c>), then those the daemon was given.</summary>
    public IReadOnlyDictionary<string, string> Runtimes =>
        new Dictionary<string, string>(_options.Runtimes) { [EngineOptions.BerthRuntime] = _options.RuntimePath };

    private static string LoadOrCreateId(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var id = Guid.NewGuid().ToString().ToUpperInvariant();
        var temp = path + ".tmp";
        File.WriteAllText(temp, id);
        File.Move(temp, path, overwrite: true);
        return id;
    }
}
