using Berth.Linux;
using Berth.Linux.Capabilities;
using Berth.Linux.Seccomp;
using Berth.Oci.Runtime;
using Berth.Runtime.Security;

namespace Berth.Runtime.Tests.Security;

/// <summary>
/// Filters loaded for real, each on a thread of its own that ends with the test. The denied syscalls (capget,
/// prctl) are ones only Berth's own calls make on that thread, so the .NET runtime is never caught by them.
/// </summary>
public class SeccompLoadTests
{
    private const int PR_GET_KEEPCAPS = 7;
    private const int PR_GET_NO_NEW_PRIVS = 39;

    [Fact]
    public void A_loaded_filter_denies_on_its_thread_only()
    {
        var profile = SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new LinuxSyscall { Names = ["capget"], Action = "SCMP_ACT_ERRNO", ErrnoRet = (uint)Errno.EACCES }],
        })!;

        var (denied, seccompMode) = DedicatedThread.Run(() =>
        {
            NoNewPrivileges.Set();
            profile.Load();
            return (Record.Exception(() => ThreadCapabilities.Get()), DedicatedThread.StatusField("Seccomp"));
        });

        var error = Assert.IsType<LinuxException>(denied);
        Assert.Equal("capget", error.Call);
        Assert.Equal(Errno.EACCES, error.Errno);
        Assert.Equal("2", seccompMode);
        Assert.Equal(DedicatedThread.StatusMask("CapEff"), DedicatedThread.Run(ThreadCapabilities.Get).Effective.Mask);
        Assert.Equal("0", DedicatedThread.StatusField("Seccomp"));
    }

    [Fact]
    public void The_default_errno_is_eperm_and_conditions_select_arguments()
    {
        var profile = SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls =
            [
                new LinuxSyscall
                {
                    Names = ["prctl"],
                    Action = "SCMP_ACT_ERRNO",
                    Args = [new LinuxSeccompArg { Index = 0, Value = PR_GET_KEEPCAPS, Op = "SCMP_CMP_EQ" }],
                },
            ],
        })!;

        var (keepCaps, noNewPrivs) = DedicatedThread.Run(() =>
        {
            NoNewPrivileges.Set();
            profile.Load();
            return (Record.Exception(() => KeepCaps.Get()), NoNewPrivileges.Get());
        });

        Assert.Equal(Errno.EPERM, Assert.IsType<LinuxException>(keepCaps).Errno);
        Assert.True(noNewPrivs);
    }

    [Fact]
    public void Conditions_on_one_argument_are_alternatives()
    {
        // One rule per condition (runc): either option is denied; a single rule with both would match nothing.
        var profile = SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls =
            [
                new LinuxSyscall
                {
                    Names = ["prctl"],
                    Action = "SCMP_ACT_ERRNO",
                    ErrnoRet = (uint)Errno.ENOENT,
                    Args =
                    [
                        new LinuxSeccompArg { Index = 0, Value = PR_GET_KEEPCAPS, Op = "SCMP_CMP_EQ" },
                        new LinuxSeccompArg { Index = 0, Value = PR_GET_NO_NEW_PRIVS, Op = "SCMP_CMP_EQ" },
                    ],
                },
            ],
        })!;

        var (keepCaps, noNewPrivs, bounding) = DedicatedThread.Run(() =>
        {
            NoNewPrivileges.Set();
            profile.Load();
            return (Record.Exception(() => KeepCaps.Get()), Record.Exception(() => NoNewPrivileges.Get()), Bounding.Contains(Capability.Chown));
        });

        Assert.Equal(Errno.ENOENT, Assert.IsType<LinuxException>(keepCaps).Errno);
        Assert.Equal(Errno.ENOENT, Assert.IsType<LinuxException>(noNewPrivs).Errno);
        Assert.Equal(DedicatedThread.Run(() => Bounding.Contains(Capability.Chown)), bounding);
    }

    [Fact]
    public void Stacked_filters_all_apply()
    {
        static SeccompProfile Deny(string syscall, int errno) => SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Flags = [],
            Syscalls = [new LinuxSyscall { Names = [syscall], Action = "SCMP_ACT_ERRNO", ErrnoRet = (uint)errno }],
        })!;

        var (capget, prctl) = DedicatedThread.Run(() =>
        {
            NoNewPrivileges.Set();
            Deny("capget", Errno.EIO).Load();
            Deny("prctl", Errno.EBUSY).Load();
            return (Record.Exception(() => ThreadCapabilities.Get()), Record.Exception(() => KeepCaps.Get()));
        });

        Assert.Equal(Errno.EIO, Assert.IsType<LinuxException>(capget).Errno);
        Assert.Equal(Errno.EBUSY, Assert.IsType<LinuxException>(prctl).Errno);
    }

    [Fact]
    public void A_denying_profile_loads_with_its_enosys_stub()
    {
        // Everything libseccomp knows is allowed but capget, so the .NET runtime keeps working on the thread.
        var names = Enumerable.Range(0, 1024)
            .Select(nr => SeccompLibrary.TryGetSyscallName(nr, SeccompArchitecture.Native, out var name) ? name : null)
            .OfType<string>()
            .Where(name => name != "capget")
            .ToList();
        var profile = SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = (uint)Errno.EACCES,
            Syscalls = [new LinuxSyscall { Names = names, Action = "SCMP_ACT_ALLOW" }],
        })!;
        var program = profile.Build();

        var (denied, keepCaps) = DedicatedThread.Run(() =>
        {
            NoNewPrivileges.Set();
            program.Load();
            return (Record.Exception(() => ThreadCapabilities.Get()), KeepCaps.Get());
        });

        Assert.True(program.Patched);
        Assert.True(names.Count > 300);
        Assert.Equal(Errno.EACCES, Assert.IsType<LinuxException>(denied).Errno);
        Assert.False(keepCaps);
    }
}
