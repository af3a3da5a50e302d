using Berth.Daemon.Configuration;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Tests;

/// <summary>SIGHUP's reading of daemon.json: the reloadable keys the file sets change; the others keep their value.</summary>
public sealed class ReloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berthd-reload-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_files_reloadable_keys_replace_the_running_ones()
    {
        var file = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(file, """{"log-level": "warn", "max-concurrent-uploads": 2}""");
        var configuration = DaemonConfiguration.Parse(["--config-file", file, "--insecure-registry", "10.1.0.0/16"]);
        var started = configuration.Load().Reloadable;

        File.WriteAllText(file, """{"debug": true, "registry-mirrors": ["http://127.0.0.1:5999"]}""");
        var reloaded = configuration.Reload(started);

        Assert.Equal(LogLevel.Debug, reloaded.EffectiveLogLevel);
        Assert.Equal([new Uri("http://127.0.0.1:5999")], reloaded.RegistryMirrors);
        Assert.Equal(["10.1.0.0/16"], reloaded.InsecureRegistries); // from the flag: the file does not touch it
        Assert.Equal(2, reloaded.MaxConcurrentUploads); // gone from the file, kept as dockerd keeps it
    }

    [Fact]
    public void A_file_in_conflict_with_the_flags_is_refused_on_reload()
    {
        var file = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(file, "{}");
        var configuration = DaemonConfiguration.Parse(["--config-file", file, "-l", "error"]);
        var started = configuration.Load().Reloadable;

        File.WriteAllText(file, """{"log-level": "debug"}""");

        Assert.Contains("log-level: (from flag: error, from file: debug)", Assert.Throws<ConfigurationException>(() => configuration.Reload(started)).Message);
    }
}
