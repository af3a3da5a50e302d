using Berth.Linux;
using Berth.Linux.Capabilities;
using Berth.Oci.Runtime;
using Berth.Runtime.Security;
using Berth.Testing;

namespace Berth.Privileged.Tests.Security;

/// <summary>The security steps of the init stage, in order, on one thread (the user switch in the middle is not ours).</summary>
public class InitSequenceTests
{
    private static readonly List<string> DockerDefaults =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    [PrivilegedFact]
    public void Docker_default_capabilities_then_seccomp_leave_the_thread_as_planned()
    {
        Privileges.RequireRoot();
        var plan = CapabilityPlan.FromOci(new LinuxCapabilities
        {
            Bounding = DockerDefaults,
            Effective = DockerDefaults,
            Permitted = DockerDefaults,
            Inheritable = ["CAP_NET_BIND_SERVICE"],
            Ambient = ["CAP_NET_BIND_SERVICE", "CAP_SYS_RESOURCE"],
        });
        var seccomp = SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
            Syscalls = [new LinuxSyscall { Names = ["capget", "kexec_load"], Action = "SCMP_ACT_ERRNO", ErrnoRet = (uint)Errno.ENOSYS }],
        })!;

        var status = DedicatedThread.Run(() =>
        {
            NoNewPrivileges.Set();                // process.noNewPrivileges
            using var filter = seccomp.Compile(); // early: errors surface before anything irreversible
            plan.ApplyBoundingSet();
            KeepCaps.Set(true);
            // setresgid / setgroups / setresuid happen here
            KeepCaps.Set(false);
            plan.ApplyCapabilities();
            filter.Load();                         // last, just before execve
            var denied = Record.Exception(() => ThreadCapabilities.Get());
            return (Bnd: DedicatedThread.StatusMask("CapBnd"), Eff: DedicatedThread.StatusMask("CapEff"),
                Prm: DedicatedThread.StatusMask("CapPrm"), Inh: DedicatedThread.StatusMask("CapInh"),
                Amb: DedicatedThread.StatusMask("CapAmb"), Seccomp: DedicatedThread.StatusField("Seccomp"), denied);
        });

        Assert.Equal(14, plan.Bounding.Count);
        Assert.Equal(plan.Bounding.Mask, status.Bnd);
        Assert.Equal(plan.Effective.Mask, status.Eff);
        Assert.Equal(plan.Permitted.Mask, status.Prm);
        Assert.Equal(plan.Inheritable.Mask, status.Inh);
        Assert.Equal(CapabilitySet.Of(Capability.NetBindService).Mask, status.Amb);
        Assert.Equal("2", status.Seccomp);
        Assert.Equal(Errno.ENOSYS, Assert.IsType<LinuxException>(status.denied).Errno);
        Assert.Contains(plan.Ignored, i => i.Name == "CAP_SYS_RESOURCE");
        Assert.NotEqual(plan.Bounding.Mask, DedicatedThread.StatusMask("CapBnd"));
    }
}
