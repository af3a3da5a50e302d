using System.Text;
using Berth.Api.Client;
using Berth.Cli.Cli;

namespace Berth.Cli.Tests.Fakes;

/// <summary>Runs <c>berth …</c> in-process against a <see cref="FakeBerthClient"/>, capturing stdout and stderr.</summary>
internal sealed class TestCli
{
    public FakeBerthClient Client { get; } = new();
    public FakeTerminal Terminal { get; } = new();
    public FakeSignals Signals { get; } = new();
    public MemoryStream Stdin { get; set; } = new();
    /// <summary>DOCKER_CONFIG starts at a directory that does not exist, so no test reads or writes the user's ~/.docker.</summary>
    public Dictionary<string, string> Environment { get; } = new()
    {
        ["DOCKER_CONFIG"] = Path.Combine(Path.GetTempPath(), $"berth-no-config-{Guid.NewGuid():N}"),
    };
    public DateTimeOffset Now { get; set; } = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Where the last command's client would have connected.</summary>
    public DaemonEndpoint? Endpoint { get; private set; }

    public string Stdout { get; private set; } = "";
    public string Stderr { get; private set; } = "";

    public async Task<int> RunAsync(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var console = new CliConsole(Stdin, stdout, stderr, Terminal, Signals);
        var code = await CommandLine.RunAsync(args, console, endpoint =>
        {
            Endpoint = endpoint;
            return Client;
        }, name => Environment.GetValueOrDefault(name), new FixedClock(Now));
        Stdout = Encoding.UTF8.GetString(stdout.ToArray());
        Stderr = Encoding.UTF8.GetString(stderr.ToArray());
        return code;
    }
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

internal sealed class FakeTerminal : ITerminal
{
    public bool IsStdinTerminal { get; set; }
    public bool IsStdoutTerminal { get; set; }
    public bool IsStderrTerminal { get; set; }
    public (int Height, int Width)? Size { get; set; }
    public int RawCount { get; private set; }
    public int RestoredCount { get; private set; }

    public IDisposable MakeRaw()
    {
        RawCount++;
        return new Callback(() => RestoredCount++);
    }

    public int EchoOffCount { get; private set; }
    public int EchoRestoredCount { get; private set; }

    public IDisposable DisableEcho()
    {
        EchoOffCount++;
        return new Callback(() => EchoRestoredCount++);
    }

    public (int Height, int Width)? GetSize() => Size;

    public IDisposable OnResize(Action onResize) => new Callback(() => { });

    private sealed class Callback(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

internal sealed class FakeSignals : ISignalSource
{
    public Action<string>? Handler { get; private set; }

    public IDisposable Subscribe(Action<string> onSignal)
    {
        Handler = onSignal;
        return new Unsubscribe(this);
    }

    private sealed class Unsubscribe(FakeSignals owner) : IDisposable
    {
        public void Dispose() => owner.Handler = null;
    }
}
