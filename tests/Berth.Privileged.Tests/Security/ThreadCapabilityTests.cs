using Berth.Linux;
using Berth.Linux.Capabilities;
using Berth.Oci.Runtime;
using Berth.Runtime.Security;
using Berth.Testing;

namespace Berth.Privileged.Tests.Security;

/// <summary>Capability changes for real, each on a thread of its own: credentials are per thread, so the runner's keep theirs.</summary>
public class ThreadCapabilityTests
{
    private const ulong NetRaw = 1UL << 13;

    [PrivilegedFact]
    public void Dropping_an_effective_capability_affects_only_the_calling_thread()
    {
        Privileges.RequireRoot();
        var (dropped, restored, permitted) = DedicatedThread.Run(() =>
        {
            var state = ThreadCapabilities.Get();
            ThreadCapabilities.Set(state.Effective.Without(Capability.NetRaw), state.Permitted, state.Inheritable);
            var afterDrop = DedicatedThread.StatusMask("CapEff");
            ThreadCapabilities.Set(state);
            return (afterDrop, DedicatedThread.StatusMask("CapEff"), DedicatedThread.StatusMask("CapPrm"));
        });

        Assert.Equal(0UL, dropped & NetRaw);
        Assert.NotEqual(0UL, restored & NetRaw);
        Assert.NotEqual(0UL, permitted & NetRaw);
        Assert.NotEqual(0UL, DedicatedThread.StatusMask("CapEff") & NetRaw);
    }

    [PrivilegedFact]
    public void A_capability_dropped_from_the_permitted_set_cannot_come_back()
    {
        Privileges.RequireRoot();
        var error = DedicatedThread.Run(() =>
        {
            var state = ThreadCapabilities.Get();
            ThreadCapabilities.Set(state.Effective.Without(Capability.NetRaw), state.Permitted.Without(Capability.NetRaw), state.Inheritable);
            return Record.Exception(() => ThreadCapabilities.Set(state));
        });

        var e = Assert.IsType<LinuxException>(error);
        Assert.Equal("capset", e.Call);
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.NotEqual(0UL, DedicatedThread.StatusMask("CapPrm") & NetRaw);
    }

    [PrivilegedFact]
    public void The_bounding_set_drops_all_but_what_is_kept_on_the_calling_thread()
    {
        Privileges.RequireRoot();
        var before = DedicatedThread.StatusMask("CapBnd");
        var keep = new CapabilitySet(before).Without(Capability.NetRaw).Without(Capability.SysAdmin);

        var (after, containsNetRaw) = DedicatedThread.Run(() =>
        {
            Bounding.Drop(keep);
            Bounding.Drop(keep); // nothing left to drop: no error
            return (DedicatedThread.StatusMask("CapBnd"), Bounding.Contains(Capability.NetRaw));
        });

        Assert.Equal(keep.Mask, after);
        Assert.False(containsNetRaw);
        Assert.Equal(before, DedicatedThread.StatusMask("CapBnd"));
    }

    [PrivilegedFact]
    public void Ambient_capabilities_need_permitted_and_inheritable()
    {
        Privileges.RequireRoot();
        var (refused, ambient, contains, cleared) = DedicatedThread.Run(() =>
        {
            var refusal = Record.Exception(() => Ambient.Set(CapabilitySet.Of(Capability.NetRaw)));
            var state = ThreadCapabilities.Get();
            ThreadCapabilities.Set(state.Effective, state.Permitted, state.Inheritable.With(Capability.NetRaw));
            Ambient.Set(CapabilitySet.Of(Capability.NetRaw));
            var raised = DedicatedThread.StatusMask("CapAmb");
            var isSet = Ambient.Contains(Capability.NetRaw);
            Ambient.Set(CapabilitySet.Empty);
            return (refusal, raised, isSet, DedicatedThread.StatusMask("CapAmb"));
        });

        var e = Assert.IsType<LinuxException>(refused);
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.Equal("CAP_NET_RAW", e.Target);
        Assert.Equal(NetRaw, ambient);
        Assert.True(contains);
        Assert.Equal(0UL, cleared);
        Assert.Equal(0UL, DedicatedThread.StatusMask("CapAmb"));
    }

    [PrivilegedFact]
    public void Root_loads_a_filter_without_no_new_privs()
    {
        Privileges.RequireRoot();
        var profile = SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new LinuxSyscall { Names = ["capget"], Action = "SCMP_ACT_ERRNO" }],
        })!;

        var (seccomp, noNewPrivs, denied) = DedicatedThread.Run(() =>
        {
            profile.Load();
            return (DedicatedThread.StatusField("Seccomp"), DedicatedThread.StatusField("NoNewPrivs"), Record.Exception(() => ThreadCapabilities.Get()));
        });

        Assert.Equal("2", seccomp);
        Assert.Equal("0", noNewPrivs);
        Assert.Equal(Errno.EPERM, Assert.IsType<LinuxException>(denied).Errno);
    }
}
