using System.CommandLine;
using System.Text.Json;

namespace Berth.Daemon.Configuration;

/// <summary>
/// The command line and daemon.json merged as dockerd merges them: a key the file does not know is refused, a key given
/// both as a flag and in the file is refused (and nothing starts), a missing default file is no file at all, and a
/// missing file named by <c>--config-file</c> is an error.
/// </summary>
internal sealed class DaemonConfiguration
{
    private readonly DaemonFlags _flags;
    private readonly ParseResult _parse;

    private DaemonConfiguration(DaemonFlags flags, ParseResult parse)
    {
        _flags = flags;
        _parse = parse;
    }

    public static DaemonConfiguration Parse(IReadOnlyList<string> args)
    {
        var flags = new DaemonFlags();
        // No @response-files: a dockerd command line never has them.
        return new DaemonConfiguration(flags, flags.Command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null }));
    }

    /// <summary>dockerd's wording for the first thing wrong on the command line, or null.</summary>
    public string? Error => _parse.Errors.Count == 0 ? null : _parse.Errors[0].Message;

    /// <summary>Whether the command line asks for help or the version rather than a daemon.</summary>
    public bool IsInformational => _parse.Errors.Count == 0 && _parse.Action is not null;

    /// <summary>Prints the help or version asked for.</summary>
    public int Inform(TextWriter output) => _parse.Invoke(new InvocationConfiguration { Output = output });

    public string ConfigFile => _parse.GetValue(_flags.ConfigFile) is { Length: > 0 } file ? Path.GetFullPath(file) : DaemonSettings.DefaultConfigFile;

    /// <summary>Reads daemon.json and builds the settings.</summary>
    /// <exception cref="ConfigurationException">Why berthd must not start.</exception>
    public DaemonSettings Load() => SettingsReader.Read(Merge(ReadFile()));

    /// <summary>
    /// SIGHUP: reads daemon.json again and returns <paramref name="current"/> with the reloadable keys the file sets
    /// (as dockerd, a key the file no longer has keeps its value). A file in conflict with the flags changes nothing.
    /// </summary>
    public ReloadableSettings Reload(ReloadableSettings current)
    {
        var file = ReadFile();
        Merge(file);
        var values = file.ToDictionary(p => p.Key, p => DaemonJson.AsFlagValues(p.Key, p.Value), StringComparer.Ordinal);
        return SettingsReader.ReadReloadable(values, current);
    }

    private Dictionary<string, JsonElement> ReadFile()
    {
        var path = ConfigFile;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            if (_parse.GetResult(_flags.ConfigFile) is { Implicit: false })
                throw new ConfigurationException($"unable to configure the Berth daemon with file {path}: open {path}: no such file or directory");
            return [];
        }
        try
        {
            return DaemonJson.Read(text);
        }
        catch (ConfigurationException e)
        {
            throw new ConfigurationException($"unable to configure the Berth daemon with file {path}: {e.Message}");
        }
    }

    /// <summary>The flags given and the file's keys as one map of daemon.json keys to flag values, after dockerd's checks.</summary>
    private Dictionary<string, IReadOnlyList<string>> Merge(Dictionary<string, JsonElement> file)
    {
        var known = _flags.Keys.Values.ToHashSet(StringComparer.Ordinal);
        var unknown = file.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ConfigurationException(
                $"unable to configure the Berth daemon with file {ConfigFile}: the following directives don't match any configuration option: {string.Join(", ", unknown)}");
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var conflicts = new List<string>();
        foreach (var (option, key) in _flags.Keys)
        {
            if (_parse.GetResult(option) is not { Implicit: false }) continue;
            var given = FlagValues(option);
            if (file.TryGetValue(key, out var inFile))
                conflicts.Add($"{key}: (from flag: {(given.Count == 1 && option is not Option<string[]> ? given[0] : $"[{string.Join(' ', given)}]")}, from file: {DaemonJson.Display(inFile)})");
            values[key] = given;
        }
        if (conflicts.Count > 0)
            throw new ConfigurationException(
                $"unable to configure the Berth daemon with file {ConfigFile}: the following directives are specified both as a flag and in the configuration file: {string.Join(", ", conflicts)}");
        try
        {
            foreach (var (key, value) in file) values[key] = DaemonJson.AsFlagValues(key, value);
        }
        catch (ConfigurationException e)
        {
            throw new ConfigurationException($"unable to configure the Berth daemon with file {ConfigFile}: {e.Message}");
        }
        return values;
    }

    private IReadOnlyList<string> FlagValues(Option option) => option switch
    {
        Option<string[]> list => _parse.GetValue(list) ?? [],
        Option<bool> flag => [_parse.GetValue(flag) ? "true" : "false"],
        Option<string> text => [_parse.GetValue(text) ?? ""],
        _ => throw new InvalidOperationException($"flag {option.Name} has no value reader"),
    };
}
