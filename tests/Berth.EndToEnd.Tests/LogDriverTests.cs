using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>A daemon whose default log options rotate at 1 kB and keep two files (<c>--log-opt</c>).</summary>
public sealed class RotatingLogsDaemon() : DaemonProcess(["--log-opt", "max-size=1k", "--log-opt", "max-file=2"]);

/// <summary>
/// Log drivers with the real docker CLI: json-file rotation (with gzip) read back across files by <c>docker logs</c>,
/// <c>local</c>, <c>none</c>, option checks, and the daemon's defaults.
/// </summary>
public sealed class LogDriverTests : IClassFixture<RotatingLogsDaemon>
{
    // 200 numbered lines of 40-odd bytes: a few kB of json-file log.
    private const string Lines = "i=1; while [ $i -le 200 ]; do echo line-$i-padding-padding-padding; i=$((i+1)); done";
    private readonly DaemonProcess _daemon;

    public LogDriverTests(RotatingLogsDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    private string LogFile(string id) => Path.Combine(_daemon.DataRoot, "containers", id, id + "-json.log");

    [PrivilegedFact]
    public void Json_file_rotates_by_size_keeps_max_file_compresses_and_logs_read_across_the_files()
    {
        var id = Docker("run", "-d", "--log-opt", "max-size=2k", "--log-opt", "max-file=3", "--log-opt", "compress=true", "busybox", "sh", "-c", Lines)
            .Ok("run -d with rotation").Output;
        try
        {
            Assert.Equal("0", Docker("wait", id).Ok("wait").Output);
            var log = LogFile(id);
            Assert.True(File.Exists(log + ".1.gz") && File.Exists(log + ".2.gz"), "two rotated, compressed files");
            Assert.False(File.Exists(log + ".3.gz") || File.Exists(log + ".1"), "no more than max-file files, all rotated ones compressed");
            Assert.True(new FileInfo(log).Length <= 2048 + 200);

            var lines = Docker("logs", id).Ok("logs").Output.Split('\n');
            Assert.Equal("line-200-padding-padding-padding", lines[^1]);
            var first = int.Parse(lines[0].Split('-')[1]);
            Assert.True(first > 1, "the oldest lines were dropped with the oldest file");
            Assert.Equal(Enumerable.Range(first, 201 - first).Select(n => $"line-{n}-padding-padding-padding"), lines);
            Assert.Equal(["line-199-padding-padding-padding", "line-200-padding-padding-padding"], Docker("logs", "--tail", "2", id).Ok("logs --tail").Output.Split('\n'));
            Assert.Contains("\"max-file\":\"3\"", Docker("inspect", "-f", "{{json .HostConfig.LogConfig}}", id).Ok("inspect").Output);
        }
        finally
        {
            Docker("rm", "-f", id);
        }
    }

    [PrivilegedFact]
    public void The_daemons_log_options_apply_to_a_container_that_gives_none()
    {
        Assert.Equal("json-file [json-file local]", Docker("info", "--format", "{{.LoggingDriver}} {{.Plugins.Log}}").Ok("info").Output);
        var id = Docker("run", "-d", "busybox", "sh", "-c", Lines).Ok("run -d").Output;
        try
        {
            Docker("wait", id).Ok("wait");
            Assert.Equal("json-file map[max-file:2 max-size:1k]", Docker("inspect", "-f", "{{.HostConfig.LogConfig.Type}} {{.HostConfig.LogConfig.Config}}", id).Ok("inspect").Output);
            Assert.True(File.Exists(LogFile(id) + ".1"));
            Assert.False(File.Exists(LogFile(id) + ".2"));
            Assert.Equal("line-200-padding-padding-padding", Docker("logs", id).Ok("logs").Output.Split('\n')[^1]);
        }
        finally
        {
            Docker("rm", "-f", id);
        }
    }

    [PrivilegedFact]
    public void Local_keeps_a_readable_log_and_none_keeps_nothing()
    {
        var local = Docker("run", "-d", "--log-driver", "local", "busybox", "echo", "kept").Ok("run --log-driver local").Output;
        var none = Docker("run", "-d", "--log-driver", "none", "busybox", "echo", "dropped").Ok("run --log-driver none").Output;
        try
        {
            Docker("wait", local).Ok("wait");
            Docker("wait", none).Ok("wait");
            Assert.Equal("kept", Docker("logs", local).Ok("logs local").Output);
            Assert.Equal("local", Docker("inspect", "-f", "{{.HostConfig.LogConfig.Type}}", local).Ok("inspect").Output);

            var refused = Docker("logs", none);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("configured logging driver does not support reading", refused.Stderr);
            Assert.False(File.Exists(LogFile(none)));
            Assert.Equal("none ", Docker("inspect", "-f", "{{.HostConfig.LogConfig.Type}} {{.LogPath}}", none).Ok("inspect").Output);
            // An attached run still shows the output: only the log is off.
            Assert.Equal("shown", Docker("run", "--rm", "--log-driver", "none", "busybox", "echo", "shown").Ok("run attached").Output);
        }
        finally
        {
            Docker("rm", "-f", local, none);
        }
    }

    [PrivilegedFact]
    public void Unknown_drivers_options_and_bad_values_fail_with_dockers_texts()
    {
        var driver = Docker("run", "--rm", "--log-driver", "nosuch", "busybox", "true");
        Assert.Equal(125, driver.ExitCode);
        Assert.Contains("logger: no log driver named 'nosuch' is registered", driver.Stderr);

        var option = Docker("create", "--log-opt", "bogus=1", "busybox", "true");
        Assert.NotEqual(0, option.ExitCode);
        Assert.Contains("unknown log opt 'bogus' for json-file log driver", option.Stderr);

        var value = Docker("run", "--rm", "--log-opt", "max-file=0", "busybox", "true");
        Assert.NotEqual(0, value.ExitCode);
        Assert.Contains("failed to initialize logging driver: max-file cannot be less than 1", value.Stderr);
    }
}
