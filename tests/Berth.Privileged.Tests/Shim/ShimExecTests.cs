using System.Text;
using System.Text.Json;
using Berth.Linux;
using Berth.Privileged.Tests.Runtime;
using Berth.Shim.Protocol;
using Berth.Testing;

namespace Berth.Privileged.Tests.Shim;

/// <summary>exec through the shim (with and without anyone attached to the container), and the shim's independence from its launcher.</summary>
public sealed class ShimExecTests
{
    private static byte[] Process(bool terminal, params string[] args)
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["args"] = args,
            ["env"] = new[] { "PATH=/usr/sbin:/usr/bin:/sbin:/bin" },
            ["cwd"] = "/",
            ["user"] = new Dictionary<string, int> { ["uid"] = 0, ["gid"] = 0 },
            ["terminal"] = terminal,
        });
        return Encoding.UTF8.GetBytes(json);
    }

    [PrivilegedFact]
    public async Task Exec_streams_its_output_and_ends_with_an_exit_frame_without_reaching_the_log()
    {
        await using var harness = new ShimHarness("echo container; sleep 60");
        await harness.LaunchAsync(harness.Request());
        await harness.Client.StartAsync();

        var (pid, stream) = await harness.Client.ExecAsync(Process(false, "sh", "-c", "echo out; echo err >&2; exit 7"), stdin: false);
        Assert.True(pid > 0);
        using (stream)
        {
            var frames = await stream.ReadAllAsync();
            Assert.Equal("out\n", frames.Text(ShimFrameType.Stdout));
            Assert.Equal("err\n", frames.Text(ShimFrameType.Stderr));
            Assert.Equal(ShimFrameType.Exit, frames[^1].Type);
            Assert.Equal(7, frames[^1].ExitCode);
            Assert.Single(frames, f => f.Type == ShimFrameType.Exit);
        }

        var (_, cat) = await harness.Client.ExecAsync(Process(false, "cat"), stdin: true);
        using (cat)
        {
            await cat.WriteStdinAsync("through exec\n"u8.ToArray());
            await cat.CloseStdinAsync();
            var frames = await cat.ReadAllAsync();
            Assert.Equal("through exec\n", frames.Text(ShimFrameType.Stdout));
            Assert.Equal(0, frames[^1].ExitCode);
        }

        var missing = await Assert.ThrowsAsync<ShimException>(() => harness.Client.ExecAsync(Process(false, "nosuch"), stdin: false));
        Assert.Contains("exec: \"nosuch\": executable file not found in $PATH", missing.Message);

        var log = File.ReadAllLines(harness.Log).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("log").GetString()).ToList();
        Assert.Equal(["container\n"], log); // exec output is the exec client's only
        Assert.Equal("running", (await harness.Client.StateAsync()).Status); // the execs did not disturb the container
    }

    [PrivilegedFact]
    public async Task Exec_with_a_terminal_gets_its_own_pty_and_resize_by_pid()
    {
        await using var harness = new ShimHarness("sleep 60");
        await harness.LaunchAsync(harness.Request());
        await harness.Client.StartAsync();
        var (pid, stream) = await harness.Client.ExecAsync(Process(true, "sh", "-c", "tty; read line; stty size"), stdin: true);
        using (stream)
        {
            var seen = new StringBuilder();
            await stream.ReadUntilAsync("/dev/pts/", seen);
            await harness.Client.ResizeAsync(33, 77, pid);
            await stream.WriteStdinAsync("go\n"u8.ToArray());
            await stream.ReadUntilAsync("33 77", seen);
            var frames = await stream.ReadAllAsync();
            Assert.Equal(0, frames[^1].ExitCode);
        }
        await Assert.ThrowsAsync<ShimException>(() => harness.Client.ResizeAsync(10, 10)); // the container has no terminal
    }

    [PrivilegedFact]
    public async Task The_shim_keeps_the_container_when_its_launcher_is_gone_and_ignores_SIGHUP()
    {
        await using var harness = new ShimHarness("read line; echo got $line");
        var request = harness.Request(stdin: true, stdinOnce: true);
        var ready = Path.Combine(harness.Bundle.Dir, "ready");
        // A shell starts the shim in the background and exits at once: the shim is orphaned before it is even ready.
        const string script = "ready=$1; diag=$2; shift 2; \"$@\" </dev/null >\"$ready\" 2>\"$diag\" &";
        TestBundle.Exec("/bin/sh", ["-c", script, "sh", ready, harness.Diagnostics, RepoPaths.Shim, .. request.Options.Arguments().Skip(1)])
            .EnsureSuccess("launch through a shell");
        var line = await PollAsync(() => File.Exists(ready) && File.ReadAllText(ready).EndsWith('\n') ? File.ReadAllText(ready) : null);
        var containerPid = ShimProtocol.DecodeResponse(Encoding.UTF8.GetBytes(line)).Pid!.Value;
        var shimPid = ParentOf(containerPid);
        var client = new ShimClient(harness.Socket, harness.ExitFile);
        try
        {
            Assert.NotEqual(Environment.ProcessId, ParentOf(shimPid));
            ProcessCalls.Kill(shimPid, Signals.SIGHUP);
            Assert.Equal("created", (await client.StateAsync()).Status);

            using var attach = await client.AttachAsync(stdin: true, stdout: true, stderr: true);
            await client.StartAsync();
            await attach.WriteStdinAsync("hi\n"u8.ToArray());
            await attach.CloseStdinAsync();
            Assert.Equal("got hi\n", (await attach.ReadAllAsync()).Text(ShimFrameType.Stdout));
            Assert.Equal(0, (await client.WaitAsync()).ExitCode);
            await PollAsync(() => File.Exists(harness.Socket) || File.Exists($"/proc/{shimPid}/exe") && Alive(shimPid) ? null : "gone");
            Assert.False(harness.StateExists);
            Assert.Empty(harness.LeftoverCgroups());
        }
        finally
        {
            if (Alive(shimPid)) ProcessCalls.Kill(shimPid, Signals.SIGKILL);
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
    }

    private static async Task<string> PollAsync(Func<string?> probe)
    {
        for (var i = 0; i < 1000; i++)
        {
            if (probe() is { } value) return value;
            await Task.Delay(10);
        }
        throw new TimeoutException("condition not reached in 10 s");
    }
}
