using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>What a run sets up besides its process (the network namespace the engine makes), and that it is released.</summary>
public sealed class RunResourcesTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public RunResourcesTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    [PrivilegedFact]
    public void A_private_network_namespace_is_the_engines_own_and_goes_with_the_run()
    {
        var id = Docker("run", "-d", "--name", "sandboxed", "--network", "none", "busybox", "sleep", "60").Ok("run -d").Output;
        var netns = Path.Combine(_daemon.ExecRoot, "netns", id);
        var pid = Docker("inspect", "-f", "{{.State.Pid}}", "sandboxed").Output;

        Assert.Contains(netns, MountPoints());
        var inode = Commands.Run("stat", ["-L", "-c", "%i", netns]).Ok("stat").Output;
        Assert.Equal($"net:[{inode}]", Commands.Run("readlink", [$"/proc/{pid}/ns/net"]).Ok("readlink").Output);
        Assert.Contains("UP", Docker("exec", "sandboxed", "ip", "link", "show", "lo").Ok("ip link").Output);

        Docker("stop", "-t", "0", "sandboxed").Ok("stop");
        Assert.DoesNotContain(netns, MountPoints());
        Assert.False(File.Exists(netns));

        Docker("start", "sandboxed").Ok("start again");
        Assert.Contains(netns, MountPoints());
        Docker("rm", "-f", "sandboxed").Ok("rm -f");
        Assert.DoesNotContain(netns, MountPoints());
        Assert.False(File.Exists(netns));
    }

    [PrivilegedFact]
    public void Host_networking_makes_no_namespace()
    {
        var id = Docker("run", "-d", "--network", "host", "busybox", "sleep", "60").Ok("run -d").Output;
        Assert.False(File.Exists(Path.Combine(_daemon.ExecRoot, "netns", id)));
        Assert.Equal(
            Commands.Run("readlink", ["/proc/self/ns/net"]).Ok("readlink").Output,
            Commands.Run("readlink", [$"/proc/{Docker("inspect", "-f", "{{.State.Pid}}", id).Output}/ns/net"]).Ok("readlink").Output);
        Docker("rm", "-f", id).Ok("rm -f");
    }

    [PrivilegedFact]
    public void Compiled_seccomp_programs_are_cached_under_the_exec_root()
    {
        Docker("run", "--rm", "busybox", "true").Ok("run");
        Docker("run", "--rm", "busybox", "true").Ok("run again, from the cache");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_daemon.ExecRoot, "runtime", "seccomp"), "*.bpf"));
    }

    private static string[] MountPoints() => [.. File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])];
}
