using Berth.Linux;
using Berth.Shim.Protocol;

namespace Berth.Engine.Tests.Tasks;

public sealed class ChildReaperTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static int Spawn(string script) => ProcessSpawner.Spawn(new SpawnRequest
    {
        Path = "/bin/sh",
        Args = ["sh", "-c", script],
        Env = ["PATH=/usr/bin:/bin"],
    });

    [Fact]
    public async Task Reports_each_child_when_it_ends_and_a_killed_one_as_128_plus_the_signal()
    {
        var running = Spawn("sleep 30");
        var slow = ChildReaper.Watch(running);
        var fast = ChildReaper.Watch(Spawn("exit 7"));

        Assert.Equal(7, await fast.WaitAsync(Timeout));
        Assert.False(slow.IsCompleted);
        ProcessCalls.Kill(running, Signals.SIGKILL);
        Assert.Equal(128 + Signals.SIGKILL, await slow.WaitAsync(Timeout));
        Assert.False(Directory.Exists($"/proc/{running}")); // reaped: no zombie left
    }

    [Fact]
    public async Task Watches_many_children_at_once()
    {
        var exits = Enumerable.Range(0, 20).Select(i => ChildReaper.Watch(Spawn($"exit {i}"))).ToArray();

        Assert.Equal(Enumerable.Range(0, 20), await Task.WhenAll(exits).WaitAsync(Timeout));
    }
}
