using System.Globalization;
using Berth.Engine.Containers.Model;

namespace Berth.Engine.Containers.Logs;

/// <summary>
/// The log drivers Berth has, with moby's rules for their options (<c>daemon/logger</c>): <c>json-file</c>,
/// <c>local</c> (kept in the json-file format, with local's defaults: 20 MB, 5 files, compressed) and <c>none</c>.
/// Option names are checked at create and the daemon's start; their values when a container starts, as moby does
/// when it creates the logger.
/// </summary>
public static class LogDrivers
{
    public const string JsonFile = "json-file";
    public const string Local = "local";
    public const string None = "none";

    /// <summary>
    /// The Kubernetes CRI's log format at the file its <c>path</c> option names (kubelet chooses it). The CRI server
    /// sets it on the containers it creates; it rotates only when kubelet asks (ReopenContainerLog).
    /// </summary>
    public const string Cri = "cri";

    // Options every driver takes, read by moby's copier and its log tag and attribute helpers.
    private static readonly HashSet<string> Common = ["mode", "max-buffer-size", "labels", "labels-regex", "env", "env-regex", "tag"];
    private static readonly HashSet<string> Rotation = ["max-file", "max-size", "compress"];

    /// <summary>moby's mergeAndVerifyLogConfig: the daemon's driver when none is asked, its options under the container's own.</summary>
    public static LogConfig Merge(LogConfig asked, LogConfig daemon)
    {
        var type = asked.Type.Length == 0 ? daemon.Type : asked.Type;
        var config = new Dictionary<string, string>(asked.Config, StringComparer.Ordinal);
        if (type == daemon.Type)
            foreach (var (key, value) in daemon.Config) config.TryAdd(key, value);
        var merged = new LogConfig(type, config);
        Validate(merged);
        return merged;
    }

    /// <summary>The driver is known and each option is one it takes; moby's texts otherwise.</summary>
    public static void Validate(LogConfig log)
    {
        if (log.Type == None) return;
        if (log.Type == Cri)
        {
            if (log.Config.Count != 1 || !log.Config.TryGetValue("path", out var path) || !Path.IsPathRooted(path))
                throw Invalid("the cri log driver takes one option: path, an absolute path");
            return;
        }
        var mode = log.Config.GetValueOrDefault("mode") ?? "";
        if (mode is not ("" or "blocking" or "non-blocking")) throw Invalid($"logger: logging mode not supported: {mode}");
        if (log.Config.ContainsKey("max-buffer-size") && mode != "non-blocking")
            throw Invalid("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
        if (log.Type is not (JsonFile or Local)) throw Invalid($"logger: no log driver named '{log.Type}' is registered");
        foreach (var key in log.Config.Keys.Where(k => !Common.Contains(k) && !Rotation.Contains(k)).Order(StringComparer.Ordinal))
            throw Invalid(log.Type == JsonFile ? $"unknown log opt '{key}' for json-file log driver" : $"unknown log opt '{key}' for log driver local");
    }

    /// <summary>
    /// The rotation the shim applies, parsed as moby's json-file and local loggers parse it when a container starts;
    /// a bad value fails the start with moby's <c>failed to initialize logging driver</c>. Null for <c>none</c>.
    /// </summary>
    public static LogRotation? RotationOf(LogConfig log)
    {
        if (log.Type == None) return null;
        if (log.Type == Cri) return new LogRotation(-1, 1, false);
        try
        {
            return log.Type == Local ? LocalRotation(log.Config) : JsonFileRotation(log.Config);
        }
        catch (FormatException e)
        {
            throw Invalid("failed to initialize logging driver: " + e.Message);
        }
    }

    private static LogRotation JsonFileRotation(IReadOnlyDictionary<string, string> config)
    {
        long maxSize = -1;
        if (config.TryGetValue("max-size", out var size))
        {
            maxSize = HumanSize(size);
            if (maxSize <= 0) throw new FormatException("max-size must be a positive number");
        }
        var maxFiles = 1;
        if (config.TryGetValue("max-file", out var files))
        {
            maxFiles = Atoi(files);
            if (maxFiles < 1) throw new FormatException("max-file cannot be less than 1");
        }
        var compress = false;
        if (config.TryGetValue("compress", out var text))
        {
            compress = ParseBool(text);
            if (compress && (maxFiles == 1 || maxSize == -1))
                throw new FormatException("compress cannot be true when max-file is less than 2 or max-size is not set");
        }
        return new LogRotation(maxSize, maxFiles, compress);
    }

    private static LogRotation LocalRotation(IReadOnlyDictionary<string, string> config)
    {
        long maxSize = 20 * 1024 * 1024;
        var maxFiles = 5;
        var compress = true;
        if (config.TryGetValue("max-size", out var size)) maxSize = Wrap(() => HumanSize(size), $"invalid value for max-size: {size}: ");
        if (config.TryGetValue("max-file", out var files)) maxFiles = Wrap(() => Atoi(files), $"invalid value for max-file: {files}: ");
        if (config.TryGetValue("compress", out var text)) compress = Wrap(() => ParseBool(text), "invalid boolean value for compress: ");
        if (maxSize < 0) throw new FormatException("max-size must not be negative");
        if (maxFiles < 0) throw new FormatException("max-file must not be negative");
        if (compress && maxFiles == 1) throw new FormatException("compression cannot be enabled when max file count is 1");
        // local's 0 means "no limit", as json-file's -1.
        return new LogRotation(maxSize == 0 ? -1 : maxSize, maxFiles == 0 ? 1 : maxFiles, compress && maxSize != 0);
    }

    private static T Wrap<T>(Func<T> parse, string prefix)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new FormatException(prefix + e.Message, e);
        }
    }

    /// <summary>go-units FromHumanSize: decimal multiples (<c>10m</c> is 10,000,000 bytes), as Docker reads max-size.</summary>
    public static long HumanSize(string value)
    {
        var trimmed = value.Trim();
        var end = 0;
        while (end < trimmed.Length && (char.IsAsciiDigit(trimmed[end]) || trimmed[end] == '.')) end++;
        var unit = trimmed[end..].Trim().ToLowerInvariant().TrimEnd('b');
        if (end == 0 || !double.TryParse(trimmed[..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            throw new FormatException($"invalid size: '{value}'");
        var multiplier = unit switch
        {
            "" => 1d, "k" => 1e3, "m" => 1e6, "g" => 1e9, "t" => 1e12, "p" => 1e15,
            _ => throw new FormatException($"invalid size: '{value}'"),
        };
        return (long)(number * multiplier);
    }

    private static int Atoi(string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n : throw new FormatException($"strconv.Atoi: parsing \"{value}\": invalid syntax");

    private static bool ParseBool(string value) =>
        GoStrconv.ParseBool(value) ?? throw new FormatException($"strconv.ParseBool: parsing \"{value}\": invalid syntax");

    private static EngineException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
}

/// <summary>How the shim rotates a container's log: the size that starts a new file (-1: never), how many files, gzip.</summary>
public sealed record LogRotation(long MaxSize, int MaxFiles, bool Compress);
