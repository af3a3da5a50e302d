using Berth.Engine.System;

namespace Berth.Engine.Tests;

/// <summary>What the daemon reports of its host, read from fake /proc and /etc trees.</summary>
public sealed class SystemFactsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-host-").FullName;

    private string Proc => Path.Combine(_root, "proc");
    private string Etc => Path.Combine(_root, "etc");

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private void MakeHost(string mountinfo)
    {
        Write("proc/self/mountinfo", mountinfo);
        Write("proc/sys/kernel/hostname", "box\n");
        Write("proc/sys/kernel/osrelease", "6.1.0-test\n");
        Write("proc/sys/net/ipv4/ip_forward", "1\n");
        Write("proc/meminfo", "MemTotal:        2048 kB\nMemFree:          100 kB\n");
        Write("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\n");
    }

    [Fact]
    public void Host_facts_come_from_proc_and_etc()
    {
        MakeHost("30 1 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw\n");
        var facts = HostFacts.Read(Proc, Etc);
        Assert.Equal("box", facts.Hostname);
        Assert.Equal("6.1.0-test", facts.KernelVersion);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", facts.OperatingSystem);
        Assert.Equal("12", facts.OsVersion);
        Assert.Equal(2048L * 1024, facts.MemoryBytes);
        Assert.Equal("2", facts.CgroupVersion);
        Assert.True(facts.Ipv4Forwarding);
    }

    [Fact]
    public void A_v1_host_reports_cgroup_version_1()
    {
        MakeHost("""
            25 1 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec - tmpfs tmpfs rw,mode=755
            26 25 0:23 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime - cgroup cgroup rw,memory
            """);
        Assert.Equal("1", HostFacts.Read(Proc, Etc).CgroupVersion);
    }

    [Fact]
    public void The_daemon_id_is_made_once_and_kept_in_the_data_root()
    {
        MakeHost("30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        var options = new EngineOptions { DataRoot = Path.Combine(_root, "data") };
        var first = new SystemService(options, HostFacts.Read(Proc, Etc)).Id;
        var second = new SystemService(options, HostFacts.Read(Proc, Etc)).Id;
        Assert.Equal(first, second);
        Assert.True(Guid.TryParse(first, out _));
        Assert.False(File.Exists(Path.Combine(options.DataRoot, "engine-id.tmp")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
