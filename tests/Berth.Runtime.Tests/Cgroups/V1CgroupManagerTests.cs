using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class V1CgroupManagerTests
{
    private static readonly CgroupLayout MemoryOnly =
        CgroupLayout.Parse("35 31 0:32 / /nonexistent/memory rw - cgroup cgroup rw,memory");

    [Fact]
    public void A_limit_for_an_unmounted_controller_is_an_error_not_silence()
    {
        var manager = CgroupManagerFactory.Create("/berth/x", MemoryOnly);

        var error = Assert.Throws<CgroupException>(() => manager.Set(new LinuxResources { Pids = new LinuxPids { Limit = 5 } }));

        Assert.Contains("pids cgroup controller is not mounted", error.Message);
    }

    [Fact]
    public void The_unified_map_is_refused_on_a_v1_only_host()
    {
        var manager = CgroupManagerFactory.Create("/berth/x", MemoryOnly);

        Assert.Throws<CgroupException>(() => manager.Set(new LinuxResources { Unified = new() { ["memory.high"] = "1" } }));
    }

    [Fact]
    public void Device_rules_are_enforced_only_with_a_devices_hierarchy()
    {
        Assert.False(CgroupManagerFactory.Create("/berth/x", MemoryOnly).EnforcesDeviceRules);
        var withDevices = CgroupLayout.Parse("36 31 0:33 / /nonexistent/devices rw - cgroup cgroup rw,devices");
        Assert.True(CgroupManagerFactory.Create("/berth/x", withDevices).EnforcesDeviceRules);
    }

    [Fact]
    public void The_v2_manager_enforces_device_rules_with_its_program()
    {
        var v2 = CgroupLayout.Parse("30 23 0:26 / /nonexistent rw - cgroup2 cgroup2 rw");

        Assert.True(CgroupManagerFactory.Create("/berth/x", v2).EnforcesDeviceRules);
    }
}
