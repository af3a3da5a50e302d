using Berth.Linux.Capabilities;

namespace Berth.Runtime.Tests.Security;

public class CapabilitySetTests
{
    [Fact]
    public void The_table_names_every_capability_by_its_kernel_number()
    {
        Assert.Equal(41, CapabilityNames.All.Count);
        Assert.Equal("CAP_CHOWN", CapabilityNames.Name(Capability.Chown));
        Assert.Equal("CAP_NET_RAW", CapabilityNames.Name((Capability)13));
        Assert.Equal("CAP_SYS_RESOURCE", CapabilityNames.Name((Capability)24));
        Assert.Equal("CAP_CHECKPOINT_RESTORE", CapabilityNames.Name((Capability)40));
        Assert.Equal("CAP_41", CapabilityNames.Name((Capability)41));
        Assert.True(CapabilityNames.TryParse("cap_audit_read", out var auditRead));
        Assert.Equal(37, (int)auditRead);
        Assert.False(CapabilityNames.TryParse("NET_RAW", out _));
    }

    [Fact]
    public void Parse_builds_the_mask_and_reports_unknown_names_once()
    {
        var set = CapabilitySet.Parse(["CAP_CHOWN", "CAP_NET_RAW", "CAP_BOGUS", "CAP_CHOWN", "CAP_BOGUS", "NET_ADMIN"], out var unknown);

        Assert.Equal((1UL << 0) | (1UL << 13), set.Mask);
        Assert.Equal(["CAP_BOGUS", "NET_ADMIN"], unknown);
        Assert.Equal(["CAP_CHOWN", "CAP_NET_RAW"], set.ToNames());
    }

    [Fact]
    public void Set_operations_and_the_proc_status_form()
    {
        var all = CapabilitySet.UpTo(40);
        var docker = CapabilitySet.Of(Capability.Chown, Capability.NetRaw, Capability.Kill);

        Assert.Equal("000001ffffffffff", all.ToString());
        Assert.Equal("000001fffeffffff", all.Without(Capability.SysResource).ToString());
        Assert.Equal(41, all.Count);
        Assert.Equal(ulong.MaxValue, CapabilitySet.UpTo(63).Mask);
        Assert.True(CapabilitySet.UpTo(-1).IsEmpty);
        Assert.Equal(38, all.Except(docker).Count);
        Assert.Equal(docker, all.Intersect(docker));
        Assert.True(docker.Contains(Capability.Kill));
        Assert.False(docker.Contains(Capability.SysAdmin));
        Assert.Equal(["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"], docker.ToNames());
        Assert.Equal(["CAP_41"], new CapabilitySet(1UL << 41).ToNames());
    }
}
