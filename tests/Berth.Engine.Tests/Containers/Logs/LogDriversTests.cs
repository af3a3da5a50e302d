using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Berth.Engine.Containers.Logs;
using Berth.Engine.Containers.Model;

namespace Berth.Engine.Tests.Containers.Logs;

/// <summary>Log drivers and their options as moby checks them, and the json-file reader across rotated files.</summary>
public sealed class LogDriversTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-logs-").FullName;

    private static LogConfig Config(string type, params (string Key, string Value)[] options) =>
        new(type, options.ToDictionary(o => o.Key, o => o.Value));

    private static string Refused(Action action) => Assert.Throws<EngineException>(action).Message;

    [Fact]
    public void The_daemons_driver_and_options_fill_what_the_container_leaves_unset()
    {
        var daemon = Config("json-file", ("max-size", "10m"), ("max-file", "3"));

        Assert.Equal(daemon.Config, LogDrivers.Merge(Config(""), daemon).Config);
        Assert.Equal("json-file", LogDrivers.Merge(Config(""), daemon).Type);
        Assert.Equal("1m", LogDrivers.Merge(Config("json-file", ("max-size", "1m")), daemon).Config["max-size"]);
        Assert.Equal("3", LogDrivers.Merge(Config("json-file", ("max-size", "1m")), daemon).Config["max-file"]);
        Assert.Empty(LogDrivers.Merge(Config("local"), daemon).Config); // another driver takes none of the daemon's options
    }

    [Fact]
    public void Unknown_drivers_and_options_are_refused_with_mobys_texts()
    {
        Assert.Equal("logger: no log driver named 'syslogx' is registered", Refused(() => LogDrivers.Validate(Config("syslogx"))));
        Assert.Equal("unknown log opt 'x' for json-file log driver", Refused(() => LogDrivers.Validate(Config("json-file", ("x", "1")))));
        Assert.Equal("unknown log opt 'x' for log driver local", Refused(() => LogDrivers.Validate(Config("local", ("x", "1")))));
        Assert.Equal("logger: logging mode not supported: fast", Refused(() => LogDrivers.Validate(Config("json-file", ("mode", "fast")))));
        Assert.Equal("logger: max-buffer-size option is only supported with 'mode=non-blocking'",
            Refused(() => LogDrivers.Validate(Config("json-file", ("max-buffer-size", "4m")))));
        LogDrivers.Validate(Config("none", ("anything", "goes")));
        LogDrivers.Validate(Config("json-file", ("tag", "{{.Name}}"), ("labels", "a"), ("mode", "non-blocking"), ("max-buffer-size", "4m")));
    }

    [Fact]
    public void Rotation_values_are_read_as_the_json_file_and_local_loggers_read_them()
    {
        Assert.Equal(new LogRotation(-1, 1, false), LogDrivers.RotationOf(Config("json-file")));
        Assert.Equal(new LogRotation(10_000_000, 3, true), LogDrivers.RotationOf(Config("json-file", ("max-size", "10m"), ("max-file", "3"), ("compress", "true"))));
        Assert.Equal(new LogRotation(20 * 1024 * 1024, 5, true), LogDrivers.RotationOf(Config("local")));
        Assert.Null(LogDrivers.RotationOf(Config("none")));
        Assert.Equal("failed to initialize logging driver: max-file cannot be less than 1",
            Refused(() => LogDrivers.RotationOf(Config("json-file", ("max-file", "0")))));
        Assert.Equal("failed to initialize logging driver: compress cannot be true when max-file is less than 2 or max-size is not set",
            Refused(() => LogDrivers.RotationOf(Config("json-file", ("compress", "true")))));
        Assert.Equal("failed to initialize logging driver: invalid size: 'lots'", Refused(() => LogDrivers.RotationOf(Config("json-file", ("max-size", "lots")))));
        Assert.Equal("failed to initialize logging driver: compression cannot be enabled when max file count is 1",
            Refused(() => LogDrivers.RotationOf(Config("local", ("max-file", "1")))));
    }

    [Fact]
    public async Task Logs_are_read_across_rotated_and_compressed_files_oldest_first()
    {
        var log = Path.Combine(_dir, "c-json.log");
        WriteGzip(log + ".2.gz", Line("one"), Line("two"));
        File.WriteAllText(log + ".1", Line("three"));
        File.WriteAllText(log, Line("four") + Line("five"));

        Assert.Equal(["one", "two", "three", "four", "five"], await Read(log, new LogOptions()));
        Assert.Equal(["three", "four", "five"], await Read(log, new LogOptions { Tail = 3 }));
        Assert.Equal(["two", "three", "four", "five"], await Read(log, new LogOptions { Tail = 4 }));
        Assert.Empty(await Read(log, new LogOptions { Tail = 0 }));
        Assert.Equal([log + ".2.gz", log + ".1"], JsonFileLog.RotatedFiles(log));
    }

    [Fact]
    public async Task A_follow_goes_on_into_the_new_file_after_a_rotation()
    {
        var log = Path.Combine(_dir, "c-json.log");
        File.WriteAllText(log, Line("before"));
        var stopped = new TaskCompletionSource();
        var lines = new ConcurrentQueue<string>();
        var reading = Task.Run(async () =>
        {
            await foreach (var entry in JsonFileLog.ReadAsync(log, new LogOptions { Follow = true }, stopped.Task, CancellationToken.None))
                lines.Enqueue(Encoding.UTF8.GetString(entry.Data).TrimEnd('\n'));
        });
        await WaitFor(() => lines.Count == 1);

        File.AppendAllText(log, Line("last of the old file"));
        File.Move(log, log + ".1"); // the shim's rotation: the old file moves away, a new one starts
        File.WriteAllText(log, Line("after"));
        await WaitFor(() => lines.Count == 3);
        stopped.SetResult();
        await reading.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["before", "last of the old file", "after"], lines);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(25);
        Assert.True(condition(), "the reader did not catch up in 5 s");
    }

    private static async Task<List<string>> Read(string path, LogOptions options)
    {
        var lines = new List<string>();
        await foreach (var entry in JsonFileLog.ReadAsync(path, options, Task.CompletedTask, CancellationToken.None))
            lines.Add(Encoding.UTF8.GetString(entry.Data).TrimEnd('\n'));
        return lines;
    }

    private static string Line(string text) => $"{{\"log\":\"{text}\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-07T10:00:00.000000000Z\"}}\n";

    private static void WriteGzip(string path, params string[] lines)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(string.Concat(lines)));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
