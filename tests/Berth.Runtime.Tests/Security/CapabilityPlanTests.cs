using Berth.Linux.Capabilities;
using Berth.Oci.Runtime;
using Berth.Runtime.Security;

namespace Berth.Runtime.Tests.Security;

public class CapabilityPlanTests
{
    // This machine's bounding set: everything up to CAP_CHECKPOINT_RESTORE but CAP_SYS_RESOURCE.
    private static readonly CapabilitySet HostBounding = new(0x000001fffeffffff);

    [Fact]
    public void Names_become_masks_per_set()
    {
        var plan = CapabilityPlan.FromOci(new LinuxCapabilities
        {
            Bounding = ["CAP_CHOWN", "CAP_NET_RAW", "CAP_KILL"],
            Effective = ["CAP_CHOWN", "CAP_NET_RAW"],
            Permitted = ["CAP_CHOWN", "CAP_NET_RAW"],
            Inheritable = ["CAP_NET_RAW"],
            Ambient = ["CAP_NET_RAW"],
        }, HostBounding, lastCap: 40);

        Assert.Equal(["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"], plan.Bounding.ToNames());
        Assert.Equal(CapabilitySet.Of(Capability.Chown, Capability.NetRaw), plan.Effective);
        Assert.Equal(plan.Effective, plan.Permitted);
        Assert.Equal(CapabilitySet.Of(Capability.NetRaw), plan.Inheritable);
        Assert.Equal(CapabilitySet.Of(Capability.NetRaw), plan.Ambient);
        Assert.Empty(plan.Ignored);
    }

    [Fact]
    public void Absent_sets_are_empty()
    {
        var plan = CapabilityPlan.FromOci(new LinuxCapabilities { Bounding = ["CAP_KILL"] }, HostBounding, 40);

        Assert.True(plan.Effective.IsEmpty && plan.Permitted.IsEmpty && plan.Inheritable.IsEmpty && plan.Ambient.IsEmpty);
        Assert.Equal(CapabilitySet.Of(Capability.Kill), plan.Bounding);
    }

    [Fact]
    public void Names_that_cannot_be_granted_are_left_out_and_reported_once()
    {
        var plan = CapabilityPlan.FromOci(new LinuxCapabilities
        {
            Bounding = ["CAP_CHOWN", "CAP_SYS_RESOURCE", "CAP_BOGUS", "CAP_CHECKPOINT_RESTORE"],
            Permitted = ["CAP_CHOWN", "CAP_SYS_RESOURCE", "CAP_BOGUS"],
            Effective = ["CAP_CHOWN"],
            Ambient = ["CAP_CHOWN"],
        }, HostBounding, lastCap: 39);

        Assert.Equal(CapabilitySet.Of(Capability.Chown), plan.Bounding);
        Assert.Equal(CapabilitySet.Of(Capability.Chown), plan.Permitted);
        Assert.True(plan.Ambient.IsEmpty);
        Assert.Equal(
            [
                "CAP_BOGUS: unknown capability",
                "CAP_CHECKPOINT_RESTORE: not supported by the running kernel (last capability 39)",
                "CAP_SYS_RESOURCE: not in the runtime's bounding set",
                "CAP_CHOWN: ambient, but not in both the permitted and the inheritable set",
            ],
            plan.Ignored.Select(i => i.ToString()));
    }
}
