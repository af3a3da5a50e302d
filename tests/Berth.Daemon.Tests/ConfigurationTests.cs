using Berth.Daemon.Configuration;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Tests;

/// <summary>The command line and daemon.json, merged and checked as dockerd does.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berthd-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ConfigFile(string json)
    {
        var path = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>A command line with a config file of its own (never the machine's /etc/berth/daemon.json).</summary>
    private DaemonSettings Load(string json, params string[] args) =>
        DaemonConfiguration.Parse([.. args, "--config-file", ConfigFile(json)]).Load();

    [Fact]
    public void Hosts_are_repeatable_and_take_every_form_dockerd_takes()
    {
        var settings = Load("{}", "-H", "unix:///tmp/a.sock", "--host", "unix://", "-H", "fd://", "-H", "fd://4", "-H", "tcp://127.0.0.1:2399", "--tls=false");

        Assert.Equal<HostAddress>(
            [new UnixHost("/tmp/a.sock"), new UnixHost(DaemonSettings.DefaultSocket), new FdHost(null), new FdHost(4), new TcpHost("127.0.0.1", 2399)],
            settings.Hosts);
    }

    [Fact]
    public void Without_hosts_the_default_socket_is_served_and_the_defaults_are_dockerds()
    {
        var settings = Load("");

        Assert.Equal([new UnixHost(DaemonSettings.DefaultSocket)], settings.Hosts);
        Assert.Equal(("berth", "/var/lib/berth", "/run/berth", "/run/berth.pid"), (settings.Group, settings.DataRoot, settings.ExecRoot, settings.PidFile));
        Assert.Equal((LogLevel.Information, 3, 5, true), (settings.Reloadable.EffectiveLogLevel, settings.Reloadable.MaxConcurrentDownloads,
            settings.Reloadable.MaxConcurrentUploads, settings.LiveRestore));
        Assert.Null(settings.Tls);
    }

    [Fact]
    public void A_bad_host_is_refused()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load("{}", "-H", "http://x"));
        Assert.Contains("Invalid bind address format: http://x", e.Message);
    }

    [Fact]
    public void The_file_and_the_flags_add_up()
    {
        var settings = Load("""
            {"debug": true, "registry-mirrors": ["https://mirror.test"], "insecure-registries": ["10.0.0.0/8"],
             "default-ulimits": {"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 2048}}, "max-concurrent-downloads": 7,
             "live-restore": false}
            """, "--data-root", "/srv/berth", "--exec-root", "/run/b", "-p", "/tmp/b.pid");

        Assert.Equal(LogLevel.Debug, settings.Reloadable.EffectiveLogLevel);
        Assert.Equal([new Uri("https://mirror.test")], settings.Reloadable.RegistryMirrors);
        Assert.Equal(["10.0.0.0/8"], settings.Reloadable.InsecureRegistries);
        Assert.Equal(7, settings.Reloadable.MaxConcurrentDownloads);
        Assert.False(settings.LiveRestore);
        Assert.Equal(("/srv/berth", "/run/b", "/tmp/b.pid"), (settings.DataRoot, settings.ExecRoot, settings.PidFile));
        Assert.Equal([new Engine.Containers.Model.Ulimit("nofile", 1024, 2048)], settings.DefaultUlimits);
    }

    [Fact]
    public void The_default_log_driver_and_options_come_from_the_file_or_the_flags()
    {
        var fromFile = Load("""{"log-driver": "local", "log-opts": {"max-size": "10m", "max-file": "3"}}""");
        Assert.Equal("local", fromFile.LogConfig.Type);
        Assert.Equal(new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" }, fromFile.LogConfig.Config);

        var fromFlags = Load("{}", "--log-opt", "max-size=1k", "--log-opt", "compress=false");
        Assert.Equal("json-file", fromFlags.LogConfig.Type);
        Assert.Equal("1k", fromFlags.LogConfig.Config["max-size"]);

        Assert.Equal("failed to set log opts: unknown log opt 'bogus' for json-file log driver",
            Assert.Throws<ConfigurationException>(() => Load("{}", "--log-opt", "bogus=1")).Message);
        Assert.Equal("failed to set log opts: logger: no log driver named 'nosuch' is registered",
            Assert.Throws<ConfigurationException>(() => Load("""{"log-driver": "nosuch"}""")).Message);
    }

    [Fact]
    public void A_key_given_both_as_flag_and_in_the_file_is_refused_with_dockerds_message()
    {
        var file = ConfigFile("""{"debug": false, "registry-mirrors": ["https://a.test"]}""");

        var e = Assert.Throws<ConfigurationException>(() =>
            DaemonConfiguration.Parse(["-D", "--registry-mirror", "https://b.test", "--config-file", file]).Load());

        Assert.Equal($"unable to configure the Berth daemon with file {file}: the following directives are specified both as a flag and in the "
            + "configuration file: debug: (from flag: true, from file: false), registry-mirrors: (from flag: [https://b.test], from file: [https://a.test])",
            e.Message);
    }

    [Fact]
    public void An_unknown_key_is_refused()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load("""{"storage-driver": "zfs"}"""));
        Assert.EndsWith("the following directives don't match any configuration option: storage-driver", e.Message);
    }

    [Fact]
    public void Nested_objects_are_flattened_as_dockerd_flattens_them()
    {
        var settings = Load("""{"logging": {"log-level": "warn"}}""");
        Assert.Equal(LogLevel.Warning, settings.Reloadable.LogLevel);
    }

    [Fact]
    public void A_config_file_named_on_the_command_line_must_exist()
    {
        var missing = Path.Combine(_dir, "nope.json");
        var e = Assert.Throws<ConfigurationException>(() => DaemonConfiguration.Parse(["--config-file", missing]).Load());
        Assert.Equal($"unable to configure the Berth daemon with file {missing}: open {missing}: no such file or directory", e.Message);
    }

    [Fact]
    public void Invalid_json_is_refused()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load("""{"debug": tru"""));
        Assert.Contains("invalid JSON", e.Message);
    }

    [Theory]
    [InlineData("--log-level", "loud", "invalid logging level: loud")]
    [InlineData("--default-ulimit", "nofile", "invalid ulimit argument: nofile")]
    [InlineData("--default-ulimit", "nofiles=1:2", "invalid ulimit type: nofiles")]
    [InlineData("--default-ulimit", "nofile=3:2", "ulimit soft limit must be less than or equal to hard limit: 3 > 2")]
    [InlineData("--add-runtime", "crun", "invalid runtime argument: crun")]
    [InlineData("--add-runtime", "berth=/bin/x", "runtime name 'berth' is reserved")]
    [InlineData("--default-runtime", "nosuchrt", "specified default runtime 'nosuchrt' does not exist")]
    [InlineData("--max-concurrent-downloads", "0", "invalid max-concurrent-downloads: 0: must be a positive number")]
    [InlineData("--registry-mirror", "ftp://m", "invalid mirror: \"ftp://m\" is not an http(s) URL")]
    [InlineData("--registry", "localhost", "invalid --registry address \"localhost\": want IP:PORT")]
    [InlineData("--registry", "0.0.0.0:5000", "refusing to serve a registry on 0.0.0.0:5000 without TLS and authentication: a --registry address "
        + "other than loopback needs --registry-tls-cert, --registry-tls-key and --registry-htpasswd")]
    [InlineData("--registry-htpasswd", "/etc/htpasswd", "--registry-tls-cert, --registry-tls-key and --registry-htpasswd configure --registry, which is not given")]
    [InlineData("--group", "no-such-group-here", null)]
    public void Bad_values_get_dockerds_errors(string flag, string value, string? message)
    {
        if (message is null)
        {
            var settings = Load("{}", flag, value);
            var e = Assert.Throws<ConfigurationException>(() => new ApiListeners(settings));
            Assert.Equal("group no-such-group-here not found", e.Message);
            return;
        }
        Assert.Equal(message, Assert.Throws<ConfigurationException>(() => Load("{}", flag, value)).Message);
    }

    [Fact]
    public void An_added_runtime_is_registered_and_can_be_the_default()
    {
        Assert.Equal("/opt/crun", Load("{}", "--add-runtime", "CRun=/opt/crun").Runtimes["crun"]);
        var settings = Load("""{"runtimes": {"myrt": {"path": "/opt/myrt"}}, "default-runtime": "myrt"}""");
        Assert.Equal(("myrt", "/opt/myrt"), (settings.DefaultRuntime, settings.Runtimes["myrt"]));
    }

    [Fact]
    public void Unknown_flags_and_stray_arguments_are_errors_and_help_lists_the_flags()
    {
        Assert.Contains("--bogus", DaemonConfiguration.Parse(["--bogus"]).Error);
        Assert.NotNull(DaemonConfiguration.Parse(["stray"]).Error);

        var help = DaemonConfiguration.Parse(["--help"]);
        var output = new StringWriter();
        Assert.True(help.IsInformational);
        Assert.Equal(0, help.Inform(output));
        foreach (var flag in new[] { "-H, --host", "--tlsverify", "-G, --group", "--exec-root", "-D, --debug", "--config-file", "--default-ulimit", "--add-runtime", "--insecure-registry",
                     "--registry-tls-cert", "--registry-tls-key", "--registry-htpasswd" })
            Assert.Contains(flag, output.ToString());
    }
}
