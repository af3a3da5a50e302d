using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class CgroupLayoutTests
{
    // This machine's table: systemd's hybrid layout with cpu and cpuacct mounted apart.
    private const string Hybrid = """
        23 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """;

    [Fact]
    public void A_hybrid_table_gives_every_v1_hierarchy_and_the_unified_mount()
    {
        var layout = CgroupLayout.Parse(Hybrid);

        Assert.Equal(CgroupMode.Hybrid, layout.Mode);
        Assert.Equal("/sys/fs/cgroup/unified", layout.UnifiedMountPoint);
        Assert.Equal(
            ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "name=systemd"],
            layout.V1Hierarchies.Select(h => h.MountOptions));
        Assert.Equal("/sys/fs/cgroup/cpuacct", layout.FindV1("cpuacct")!.MountPoint);
        Assert.Equal("systemd", layout.V1Hierarchies[^1].Name);
        Assert.Empty(layout.V1Hierarchies[^1].Controllers);
    }

    [Fact]
    public void A_cgroup2_root_is_v2()
    {
        var layout = CgroupLayout.Parse(
            "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot");

        Assert.Equal(CgroupMode.V2, layout.Mode);
        Assert.Equal("/sys/fs/cgroup", layout.UnifiedMountPoint);
        Assert.Empty(layout.V1Hierarchies);
    }

    [Fact]
    public void A_v2_host_with_a_named_v1_hierarchy_is_still_v2()
    {
        var layout = CgroupLayout.Parse("""
            30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw
            50 30 0:40 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd
            """);

        Assert.Equal(CgroupMode.V2, layout.Mode);
        Assert.Equal("name=systemd", Assert.Single(layout.V1Hierarchies).MountOptions);
    }

    [Fact]
    public void Co_mounted_controllers_share_one_hierarchy_and_options_are_not_controllers()
    {
        var layout = CgroupLayout.Parse("""
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw shared:9 master:3 - cgroup cgroup rw,cpu,cpuacct
            33 31 0:30 / /sys/fs/cgroup/cpuset rw - cgroup cgroup rw,cpuset,noprefix,clone_children,release_agent=/bin/x
            """);

        Assert.Equal(CgroupMode.V1, layout.Mode);
        Assert.Null(layout.UnifiedMountPoint);
        Assert.Same(layout.FindV1("cpu"), layout.FindV1("cpuacct"));
        Assert.Equal("cpu,cpuacct", layout.FindV1("cpu")!.MountOptions);
        Assert.Equal(["cpuset"], layout.FindV1("cpuset")!.Controllers);
        Assert.Null(layout.FindV1("memory"));
    }

    [Fact]
    public void A_hierarchy_mounted_twice_counts_once_at_its_first_mount_point()
    {
        var layout = CgroupLayout.Parse("""
            35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
            90 88 0:32 /docker/abc /var/lib/x/sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
            """);

        Assert.Equal("/sys/fs/cgroup/memory", Assert.Single(layout.V1Hierarchies).MountPoint);
    }

    [Fact]
    public void Escaped_mount_points_are_unescaped()
    {
        var layout = CgroupLayout.Parse(@"30 23 0:26 / /tmp/my\040cgroup rw - cgroup2 cgroup2 rw");

        Assert.Equal("/tmp/my cgroup", layout.UnifiedMountPoint);
    }

    [Fact]
    public void A_table_without_cgroups_is_an_error()
    {
        var error = Assert.Throws<CgroupException>(() =>
            CgroupLayout.Parse("23 1 0:21 / /sys rw - sysfs sysfs rw\n"));

        Assert.Contains("no cgroup", error.Message);
    }

    [Fact]
    public void Detect_reads_the_given_mountinfo_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Hybrid);

            Assert.Equal(CgroupMode.Hybrid, CgroupLayout.Detect(file).Mode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Detect_names_a_missing_mountinfo_file()
    {
        var error = Assert.Throws<CgroupException>(() => CgroupLayout.Detect("/nonexistent/mountinfo"));

        Assert.Equal("read /nonexistent/mountinfo: No such file or directory", error.Message);
    }
}
