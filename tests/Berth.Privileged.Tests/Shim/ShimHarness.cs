using System.Text;
using Berth.Linux;
using Berth.Privileged.Tests.Runtime;
using Berth.Shim.Protocol;
using Berth.Testing;

namespace Berth.Privileged.Tests.Shim;

/// <summary>
/// A busybox bundle run under the published berth-shim (started by <see cref="ShimLauncher"/>, so it is this test
/// process's child). Disposing kills what is left (container, shim) and deletes the bundle, the state and the cgroup.
/// </summary>
public sealed class ShimHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public TestBundle Bundle { get; }
    public string Socket => Path.Combine(Bundle.Dir, "shim.sock");
    public string Log => Path.Combine(Bundle.Dir, "container-json.log");
    public string ExitFile => Path.Combine(Bundle.Dir, "exit.json");
    public string Diagnostics => Path.Combine(Bundle.Dir, "shim.err");
    public ShimProcess? Shim { get; private set; }
    public ShimClient Client => Shim!.Client;

    public ShimHarness(string script) => Bundle = new TestBundle().WithScript(script);

    public ShimLaunchRequest Request(bool tty = false, bool stdin = false, bool stdinOnce = false, ushort height = 0, ushort width = 0)
    {
        Assert.True(File.Exists(RepoPaths.Shim), $"{RepoPaths.Shim} is missing: dotnet publish src/Berth.Shim -c Release -r linux-x64 -o artifacts/native");
        Bundle.Spec.Process!.Terminal = tty;
        Bundle.WriteConfig();
        return new ShimLaunchRequest
        {
            ShimPath = RepoPaths.Shim,
            DiagnosticsFile = Diagnostics,
            Options = new ShimOptions
            {
                Id = Bundle.Id, Bundle = Bundle.Dir, RuntimeRoot = Bundle.StateRoot, Socket = Socket, Log = Log, ExitFile = ExitFile,
                Stage = RepoPaths.Runtime, Tty = tty, Stdin = stdin, StdinOnce = stdinOnce, ConsoleHeight = height, ConsoleWidth = width,
            },
        };
    }

    public async Task<ShimProcess> LaunchAsync(ShimLaunchRequest request)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        Shim = await ShimLauncher.LaunchAsync(request, cancel.Token);
        return Shim;
    }

    public string CgroupPath => $"/berth-test-{Bundle.Id}";

    /// <summary>Every hierarchy's directory for the container's cgroup that exists (v1 controllers, unified, or v2).</summary>
    public IReadOnlyList<string> LeftoverCgroups() => HostCgroups.ExistingDirectories(CgroupPath);

    public bool StateExists => Directory.Exists(Path.Combine(Bundle.StateRoot, Bundle.Id));

    public async Task<int> ShimExitAsync() => await Shim!.Exited.WaitAsync(Timeout);

    public async ValueTask DisposeAsync()
    {
        if (Shim is { Exited.IsCompleted: false } shim)
        {
            try
            {
                await shim.Client.KillAsync(Signals.SIGKILL, all: true);
            }
            catch (Exception e) when (e is ShimException or ShimGoneException)
            {
                // already stopping
            }
            try
            {
                await shim.Exited.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                ProcessCalls.Kill(shim.Pid, Signals.SIGKILL);
                await shim.Exited.WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        Bundle.Dispose();
    }
}

/// <summary>Reads a shim stream to its end, keeping the frames.</summary>
public static class ShimStreamExtensions
{
    public static async Task<List<ShimFrame>> ReadAllAsync(this ShimStream stream)
    {
        using var cancel = new CancellationTokenSource(ShimHarness.Timeout);
        var frames = new List<ShimFrame>();
        while (await stream.ReadFrameAsync(cancel.Token) is { } frame) frames.Add(frame);
        return frames;
    }

    /// <summary>Reads frames until their text so far contains <paramref name="expected"/>; returns the text.</summary>
    public static async Task<string> ReadUntilAsync(this ShimStream stream, string expected, StringBuilder? seen = null)
    {
        using var cancel = new CancellationTokenSource(ShimHarness.Timeout);
        seen ??= new StringBuilder();
        while (!seen.ToString().Contains(expected))
        {
            var frame = await stream.ReadFrameAsync(cancel.Token) ?? throw new Xunit.Sdk.XunitException($"stream ended before \"{expected}\"; got \"{seen}\"");
            seen.Append(Encoding.UTF8.GetString(frame.Payload));
        }
        return seen.ToString();
    }

    public static string Text(this IEnumerable<ShimFrame> frames, ShimFrameType type) =>
        string.Concat(frames.Where(f => f.Type == type).Select(f => Encoding.UTF8.GetString(f.Payload)));
}
