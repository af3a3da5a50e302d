using Berth.Linux.Seccomp;
using Berth.Oci.Runtime;
using Berth.Runtime.Security;
using static Berth.Runtime.Tests.Security.BpfInterpreter;

namespace Berth.Runtime.Tests.Security;

public class EnosysStubTests
{
    private static readonly SeccompArchitecture X86_64 = new(0xC000003E);
    private static readonly SeccompArchitecture X86 = new(0x40000003);
    private static readonly SeccompArchitecture X32 = new(0x4000003E);
    private static readonly SeccompAction Enosys = SeccompAction.Errno(38);
    private static readonly SeccompAction Filter = new(0x7fff_1234); // stands for "reached libseccomp's program"

    private static BpfInstruction[] Stub(params (SeccompArchitecture Arch, uint Max)[] limits) =>
        [.. EnosysStub.Generate(limits.ToDictionary(l => l.Arch, l => l.Max)), BpfInstruction.Ret(Filter)];

    private static int Nr(string name) => SeccompLibrary.TryResolveSyscall(name, out var nr) ? nr : throw new InvalidOperationException(name);

    [Fact]
    public void Syscalls_above_the_last_known_one_get_enosys_per_architecture()
    {
        var program = Stub((X86_64, 300), (X86, 400));

        Assert.Equal(Filter, Run(program, AuditArchX86_64, 300));
        Assert.Equal(Enosys, Run(program, AuditArchX86_64, 301));
        Assert.Equal(Filter, Run(program, AuditArchI386, 400));
        Assert.Equal(Enosys, Run(program, AuditArchI386, 401));
        Assert.Equal(Filter, Run(program, 0xC00000B7, 9999)); // aarch64: no block, the filter decides
    }

    [Fact]
    public void X32_syscalls_are_judged_by_the_x32_limit_or_left_to_the_filter()
    {
        const int X32Bit = 0x4000_0000;
        var without = Stub((X86_64, 300));
        Assert.Equal(Filter, Run(without, AuditArchX86_64, X32Bit | 5));
        Assert.Equal(Enosys, Run(without, AuditArchX86_64, 301));

        var with = Stub((X86_64, 300), (X32, X32Bit | 200));
        Assert.Equal(Filter, Run(with, AuditArchX86_64, X32Bit | 200));
        Assert.Equal(Enosys, Run(with, AuditArchX86_64, X32Bit | 201));
        Assert.Equal(Filter, Run(with, AuditArchX86_64, 250));
        Assert.Equal(Enosys, Run(with, AuditArchX86_64, 301));
    }

    [Fact]
    public void No_architecture_means_no_stub()
    {
        Assert.Empty(EnosysStub.Generate(new Dictionary<SeccompArchitecture, uint>()));
    }

    [Fact]
    public void The_last_syscall_is_the_highest_one_the_profile_names_on_each_architecture()
    {
        var last = EnosysStub.LastSyscalls(["read", "mount", "no_such_syscall", "socketcall"], [SeccompArchitecture.Current, X86, X32]);

        Assert.Equal((uint)Nr("mount"), last[SeccompArchitecture.Current]);
        Assert.True(SeccompLibrary.TryResolveSyscall("socketcall", X86, out var socketcall));
        Assert.Equal((uint)socketcall, last[X86]);
        Assert.True(last[X32] > 0x4000_0000);
    }

    [Fact]
    public void A_denying_profile_loads_behind_the_stub_and_keeps_its_rules()
    {
        var profile = SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
            Syscalls =
            [
                new LinuxSyscall { Names = ["read", "write", "openat", "clone3"], Action = "SCMP_ACT_ALLOW" },
                new LinuxSyscall
                {
                    Names = ["personality"],
                    Action = "SCMP_ACT_ALLOW",
                    Args = [new LinuxSeccompArg { Index = 0, Value = 8, Op = "SCMP_CMP_EQ" }],
                },
            ],
        })!;

        var program = profile.Build();

        Assert.True(program.Patched);
        var clone3 = Nr("clone3");
        Assert.Equal(SeccompAction.Allow, Run(program.Instructions, AuditArchX86_64, Nr("read")));
        Assert.Equal(SeccompAction.Allow, Run(program.Instructions, AuditArchX86_64, clone3));
        Assert.Equal(SeccompAction.Errno(1), Run(program.Instructions, AuditArchX86_64, Nr("mount")));
        Assert.Equal(SeccompAction.Allow, Run(program.Instructions, AuditArchX86_64, Nr("personality"), 8));
        Assert.Equal(SeccompAction.Errno(1), Run(program.Instructions, AuditArchX86_64, Nr("personality"), 9));
        Assert.Equal(Enosys, Run(program.Instructions, AuditArchX86_64, clone3 + 1));
    }

    [Theory]
    [InlineData("SCMP_ACT_ALLOW", null, false)]
    [InlineData("SCMP_ACT_LOG", null, false)]
    [InlineData("SCMP_ACT_TRACE", null, false)]
    [InlineData("SCMP_ACT_ERRNO", 38u, false)]
    [InlineData("SCMP_ACT_ERRNO", null, true)]
    [InlineData("SCMP_ACT_KILL_PROCESS", null, true)]
    public void Only_denying_default_actions_get_the_stub(string defaultAction, uint? errnoRet, bool patched)
    {
        var profile = SeccompProfile.FromOci(new LinuxSeccomp
        {
            DefaultAction = defaultAction,
            DefaultErrnoRet = errnoRet,
            Syscalls = [new LinuxSyscall { Names = ["mount"], Action = "SCMP_ACT_KILL" }],
        })!;

        Assert.Equal(patched, profile.Build().Patched);
    }
}
