using Berth.Daemon.Configuration;
using Berth.Distribution.Client;
using Berth.Images;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>
/// SIGHUP: daemon.json is read again and its reloadable keys applied (debug, log-level, registry-mirrors,
/// insecure-registries, max-concurrent-downloads/uploads); each change is logged. A file berthd refuses changes nothing.
/// </summary>
internal sealed class ConfigurationReloader(
    DaemonConfiguration configuration, DaemonSettings settings, LogLevelSwitch logLevel, ImageStore images, ILogger logger)
{
    private ReloadableSettings _current = settings.Reloadable;

    /// <summary>The registry client for the current settings (a new one on a reload that changes the registries).</summary>
    public static RegistryClient RegistryClient(ReloadableSettings reloadable, DaemonSettings settings) => new(new RegistryClientOptions
    {
        Mirrors = reloadable.RegistryMirrors, InsecureRegistries = reloadable.InsecureRegistries, DefaultRegistry = settings.DefaultRegistry,
        HostsDirectory = settings.RegistryConfigDir,
    });

    public void Reload()
    {
        logger.Reloading(configuration.ConfigFile);
        ReloadableSettings next;
        try
        {
            next = configuration.Reload(_current);
        }
        catch (ConfigurationException e)
        {
            logger.ReloadFailed(e.Message);
            return;
        }
        var old = _current;
        _current = next;
        Changed("debug", old.Debug ? "true" : "false", next.Debug ? "true" : "false");
        Changed("log-level", Level(old.LogLevel), Level(next.LogLevel));
        Changed("max-concurrent-downloads", $"{old.MaxConcurrentDownloads}", $"{next.MaxConcurrentDownloads}");
        Changed("max-concurrent-uploads", $"{old.MaxConcurrentUploads}", $"{next.MaxConcurrentUploads}");
        var registries = Changed("registry-mirrors", List(old.RegistryMirrors), List(next.RegistryMirrors))
            | Changed("insecure-registries", List(old.InsecureRegistries), List(next.InsecureRegistries));
        Apply(next);
        if (registries) images.Registry = RegistryClient(next, settings);
    }

    /// <summary>Puts the settings that need no new object into effect (at start and after each reload).</summary>
    public void Apply(ReloadableSettings reloadable)
    {
        logLevel.Level = reloadable.EffectiveLogLevel;
        images.MaxConcurrentDownloads = reloadable.MaxConcurrentDownloads;
        images.MaxConcurrentUploads = reloadable.MaxConcurrentUploads;
    }

    private bool Changed(string key, string old, string next)
    {
        if (old == next) return false;
        logger.Reloaded(key, old, next);
        return true;
    }

    private static string List<T>(IEnumerable<T> values) => "[" + string.Join(' ', values) + "]";

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Debug => "debug", LogLevel.Information => "info", LogLevel.Warning => "warn", LogLevel.Error => "error", _ => "fatal",
    };
}
