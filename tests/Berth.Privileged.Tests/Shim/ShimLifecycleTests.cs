using System.Text;
using System.Text.Json;
using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Shim.Protocol;
using Berth.Testing;

namespace Berth.Privileged.Tests.Shim;

/// <summary>berth-shim as berthd drives it: ready line, attach before start, log, wait, exit file, kill, failure, cleanup.</summary>
public sealed class ShimLifecycleTests
{
    [PrivilegedFact]
    public async Task Attach_before_start_gets_the_output_framed_and_the_log_wait_and_exit_file_have_it()
    {
        await using var harness = new ShimHarness("echo hello; echo oops >&2; exit 3");
        var shim = await harness.LaunchAsync(harness.Request());
        Assert.True(shim.ContainerPid > 0);
        Assert.Equal(shim.Pid, ParentOf(shim.ContainerPid)); // the container's init is the shim's child
        Assert.Equal(new ShimState(shim.ContainerPid, "created"), await harness.Client.StateAsync());
        Assert.Equal("0600", Convert.ToString((int)File.GetUnixFileMode(harness.Socket), 8).PadLeft(4, '0'));

        using var attach = await harness.Client.AttachAsync(stdin: false, stdout: true, stderr: true);
        var wait = harness.Client.WaitAsync();
        await harness.Client.StartAsync();
        var frames = await attach.ReadAllAsync();
        var exit = await wait.WaitAsync(ShimHarness.Timeout);

        Assert.Equal("hello\n", frames.Text(ShimFrameType.Stdout));
        Assert.Equal("oops\n", frames.Text(ShimFrameType.Stderr));
        Assert.DoesNotContain(frames, f => f.Payload.Length == 0);
        Assert.Equal(3, exit.ExitCode);
        Assert.InRange(exit.ExitedAt, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(0, await harness.ShimExitAsync());

        Assert.Equal(exit, ShimClient.ReadExitFile(harness.ExitFile));
        var exitJson = File.ReadAllText(harness.ExitFile);
        Assert.Matches("""^\{"exitCode":3,"exitedAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z","oomKilled":false\}\n$""", exitJson);
        var log = File.ReadAllLines(harness.Log).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["hello\n|stdout", "oops\n|stderr"], log.Select(l => $"{l.GetProperty("log").GetString()}|{l.GetProperty("stream").GetString()}").Order());
        Assert.All(log, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$", l.GetProperty("time").GetString()));

        Assert.False(File.Exists(harness.Socket));
        Assert.False(harness.StateExists);
        Assert.Empty(harness.LeftoverCgroups());
        await Assert.ThrowsAsync<ShimGoneException>(() => harness.Client.StateAsync());
    }

    [PrivilegedFact]
    public async Task Output_is_logged_with_nobody_attached_and_a_full_pipe_never_blocks_the_container()
    {
        // 200 KiB, more than a pipe holds, then a marker: the container finishes only if the shim keeps reading.
        await using var harness = new ShimHarness("i=0; while [ $i -lt 2048 ]; do echo 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789; i=$((i+1)); done; printf 'partial'");
        await harness.LaunchAsync(harness.Request());
        await harness.Client.StartAsync();
        Assert.Equal(0, (await harness.Client.WaitAsync()).ExitCode);
        Assert.Equal(0, await harness.ShimExitAsync());
        var lines = File.ReadAllLines(harness.Log).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("log").GetString()).ToList();
        Assert.Equal(2049, lines.Count);
        Assert.Equal("partial", lines[^1]);
    }

    [PrivilegedFact]
    public async Task A_client_that_does_not_read_is_dropped_and_holds_back_neither_the_log_nor_the_others()
    {
        const int size = 6_000_000; // far more than a client may fall behind plus what the sockets buffer
        await using var harness = new ShimHarness($"head -c {size} /dev/zero | tr '\\0' x; echo; echo end");
        await harness.LaunchAsync(harness.Request());
        using var stalled = await harness.Client.AttachAsync(stdin: false, stdout: true, stderr: true);
        using var reader = await harness.Client.AttachAsync(stdin: false, stdout: true, stderr: true);
        await harness.Client.StartAsync();
        var received = 0L;
        var tail = "";
        while (await reader.ReadFrameAsync() is { } frame)
        {
            received += frame.Payload.Length;
            tail = (tail + Encoding.ASCII.GetString(frame.Payload))[^Math.Min(tail.Length + frame.Payload.Length, 16)..];
        }
        Assert.Equal(size + "\nend\n".Length, received);
        Assert.EndsWith("x\nend\n", tail);
        Assert.Equal(0, (await harness.Client.WaitAsync()).ExitCode);

        var stalledBytes = 0L;
        while (await stalled.ReadFrameAsync() is { } frame) stalledBytes += frame.Payload.Length;
        Assert.InRange(stalledBytes, 1, size - 1); // it got what was in flight, then its stream was cut
        var log = File.ReadLines(harness.Log).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("log").GetString()!).ToList();
        Assert.Equal(size + "\nend\n".Length, log.Sum(l => (long)l.Length));
        Assert.Equal("end\n", log[^1]);
    }

    [PrivilegedFact]
    public async Task Stdin_once_feeds_cat_and_the_clients_half_close_ends_it()
    {
        await using var harness = new ShimHarness("cat; echo done");
        await harness.LaunchAsync(harness.Request(stdin: true, stdinOnce: true));
        using var attach = await harness.Client.AttachAsync(stdin: true, stdout: true, stderr: true);
        await harness.Client.StartAsync();
        await attach.WriteStdinAsync("ping\n"u8.ToArray());
        Assert.Equal("ping\n", await attach.ReadUntilAsync("ping\n"));
        await attach.WriteStdinAsync("pong\n"u8.ToArray());
        await attach.CloseStdinAsync();
        var rest = (await attach.ReadAllAsync()).Text(ShimFrameType.Stdout);
        Assert.Equal("pong\ndone\n", rest);
        Assert.Equal(0, (await harness.Client.WaitAsync()).ExitCode);
    }

    [PrivilegedFact]
    public async Task A_tty_container_gets_a_pty_with_the_initial_size_and_resize_changes_it()
    {
        await using var harness = new ShimHarness("tty; stty size; read line; stty size");
        await harness.LaunchAsync(harness.Request(tty: true, stdin: true, height: 24, width: 80));
        using var attach = await harness.Client.AttachAsync(stdin: true, stdout: true, stderr: true);
        await harness.Client.StartAsync();
        var seen = new StringBuilder();
        await attach.ReadUntilAsync("24 80", seen);
        Assert.Contains("/dev/pts/0", seen.ToString());
        await harness.Client.ResizeAsync(40, 100);
        await attach.WriteStdinAsync("go\n"u8.ToArray());
        await attach.ReadUntilAsync("40 100", seen);
        var frames = await attach.ReadAllAsync();
        Assert.DoesNotContain(frames, f => f.Type != ShimFrameType.Stdout);
        Assert.Equal(0, (await harness.Client.WaitAsync()).ExitCode);
        Assert.Contains("/dev/pts/0", File.ReadAllText(harness.Log)); // tty output is logged as stdout
        Assert.DoesNotContain("\"stderr\"", File.ReadAllText(harness.Log));
    }

    [PrivilegedFact]
    public async Task Kill_sends_the_signal_and_the_exit_code_is_128_plus_it()
    {
        await using var harness = new ShimHarness("sleep 60 & echo started; wait $!");
        await harness.LaunchAsync(harness.Request());
        using (var attach = await harness.Client.AttachAsync(stdin: false, stdout: true, stderr: false))
        {
            await harness.Client.StartAsync();
            await attach.ReadUntilAsync("started");
        }
        Assert.Equal("running", (await harness.Client.StateAsync()).Status);
        await harness.Client.KillAsync(Signals.SIGTERM, all: true); // the namespace's init ignores TERM; sleep does not
        Assert.Equal(143, (await harness.Client.WaitAsync()).ExitCode);

        await using var killed = new ShimHarness("echo started; exec sleep 60");
        await killed.LaunchAsync(killed.Request());
        using (var attach = await killed.Client.AttachAsync(stdin: false, stdout: true, stderr: false))
        {
            await killed.Client.StartAsync();
            await attach.ReadUntilAsync("started");
        }
        await killed.Client.PauseAsync();
        Assert.Equal("paused", (await killed.Client.StateAsync()).Status);
        await killed.Client.ResumeAsync();
        await killed.Client.KillAsync(Signals.SIGKILL);
        Assert.Equal(137, (await killed.Client.WaitAsync()).ExitCode);
        Assert.Equal(0, await killed.ShimExitAsync());
        Assert.Equal(137, ShimClient.ReadExitFile(killed.ExitFile)!.ExitCode);
    }

    [PrivilegedFact]
    public async Task A_bad_bundle_is_an_error_line_exit_1_and_nothing_left_behind()
    {
        await using var harness = new ShimHarness("true");
        var request = harness.Request();
        Directory.Delete(harness.Bundle.Rootfs, recursive: true);
        var error = await Assert.ThrowsAsync<ShimException>(() => harness.LaunchAsync(request));
        Assert.Contains("rootfs", error.Message);
        Assert.Contains("does not exist", error.Message);
        Assert.Equal(1, error.ShimExitCode);
        Assert.Contains("does not exist", File.ReadAllText(harness.Diagnostics));
        Assert.False(File.Exists(harness.Socket));
        Assert.False(harness.StateExists);
        Assert.Empty(harness.LeftoverCgroups());
        Assert.False(File.Exists(harness.ExitFile));
    }

    [PrivilegedFact]
    public async Task A_failing_create_after_the_cgroup_exists_leaves_no_cgroup_state_or_process()
    {
        await using var harness = new ShimHarness("true");
        harness.Bundle.Spec.Process!.Cwd = "/nonexistent";
        var request = harness.Request();
        var error = await Assert.ThrowsAsync<ShimException>(() => harness.LaunchAsync(request));
        Assert.Contains("chdir to cwd (\"/nonexistent\")", error.Message);
        Assert.Equal(1, error.ShimExitCode);
        Assert.False(File.Exists(harness.Socket));
        Assert.False(harness.StateExists);
        Assert.Empty(harness.LeftoverCgroups());
    }

    [PrivilegedFact]
    public async Task A_limit_the_kernel_refuses_leaves_no_cgroup_behind()
    {
        await using var harness = new ShimHarness("true");
        harness.Bundle.Spec.Linux!.Resources = new LinuxResources { Cpu = new LinuxCpu { Cpus = "4095" } };
        var request = harness.Request();
        await Assert.ThrowsAsync<ShimException>(() => harness.LaunchAsync(request));
        Assert.False(File.Exists(harness.Socket));
        Assert.False(harness.StateExists);
        Assert.Empty(harness.LeftoverCgroups());
    }

    private static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
    }
}
