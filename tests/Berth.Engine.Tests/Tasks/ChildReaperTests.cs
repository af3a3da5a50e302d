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
    public async Task Reports_each_childs_exit_code_in_the_order_they_end()
    {
        var slow = ChildReaper.Watch(Spawn("sleep 0.3; exit 4"));
        var fast = ChildReaper.Watch(Spawn("exit 7"));

        Assert.Equal(7, await fast.WaitAsync(Timeout));
        Assert.False(slow.IsCompleted);
        Assert.Equal(4, await slow.WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_killed_child_reports_128_plus_the_signal_and_leaves_no_zombie()
    {
        var pid = Spawn("sleep 30");
        var exit = ChildReaper.Watch(pid);
        ProcessCalls.Kill(pid, Signals.SIGKILL);

        Assert.Equal(128 + Signals.SIGKILL, await exit.WaitAsync(Timeout));
        Assert.False(Directory.Exists($"/proc/{pid}"));
    }

    [Fact]
    public async Task Watches_many_children_at_once()
    {
        var exits = Enumerable.Range(0, 20).Select(i => ChildReaper.Watch(Spawn($"exit {i}"))).ToArray();

        Assert.Equal(Enumerable.Range(0, 20), await Task.WhenAll(exits).WaitAsync(Timeout));
    }
}
