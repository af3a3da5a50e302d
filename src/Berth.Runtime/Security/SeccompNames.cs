using Berth.Linux.Seccomp;

namespace Berth.Runtime.Security;

/// <summary>The OCI names of seccomp actions, operators, architectures and flags (libseccomp's header names).</summary>
public static class SeccompNames
{
    public const string FlagThreadSync = "SECCOMP_FILTER_FLAG_TSYNC";
    public const string FlagLog = "SECCOMP_FILTER_FLAG_LOG";
    public const string FlagSpecAllow = "SECCOMP_FILTER_FLAG_SPEC_ALLOW";
    public const string FlagWaitKillableRecv = "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV";
    public const string ActionNotify = "SCMP_ACT_NOTIFY";

    /// <summary>EPERM: what SCMP_ACT_ERRNO and SCMP_ACT_TRACE return when the profile names no errnoRet (as runc).</summary>
    public const ushort DefaultErrnoRet = 1;

    /// <summary>Every action the runtime-spec defines; <see cref="ActionNotify"/> is known but refused (no listener support).</summary>
    public static IReadOnlyList<string> KnownActions { get; } =
    [
        "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
        "SCMP_ACT_LOG", ActionNotify, "SCMP_ACT_TRACE", "SCMP_ACT_TRAP",
    ];

    public static IReadOnlyDictionary<string, SeccompOperator> Operators { get; } = new Dictionary<string, SeccompOperator>(StringComparer.Ordinal)
    {
        ["SCMP_CMP_EQ"] = SeccompOperator.Equal,
        ["SCMP_CMP_GE"] = SeccompOperator.GreaterOrEqual,
        ["SCMP_CMP_GT"] = SeccompOperator.GreaterThan,
        ["SCMP_CMP_LE"] = SeccompOperator.LessOrEqual,
        ["SCMP_CMP_LT"] = SeccompOperator.LessThan,
        ["SCMP_CMP_MASKED_EQ"] = SeccompOperator.MaskedEqual,
        ["SCMP_CMP_NE"] = SeccompOperator.NotEqual,
    };

    /// <summary>OCI architecture name → libseccomp's own name (what <c>seccomp_arch_resolve_name</c> takes).</summary>
    public static IReadOnlyDictionary<string, string> Architectures { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SCMP_ARCH_AARCH64"] = "aarch64",
        ["SCMP_ARCH_ARM"] = "arm",
        ["SCMP_ARCH_LOONGARCH64"] = "loongarch64",
        ["SCMP_ARCH_MIPS"] = "mips",
        ["SCMP_ARCH_MIPS64"] = "mips64",
        ["SCMP_ARCH_MIPS64N32"] = "mips64n32",
        ["SCMP_ARCH_MIPSEL"] = "mipsel",
        ["SCMP_ARCH_MIPSEL64"] = "mipsel64",
        ["SCMP_ARCH_MIPSEL64N32"] = "mipsel64n32",
        ["SCMP_ARCH_PARISC"] = "parisc",
        ["SCMP_ARCH_PARISC64"] = "parisc64",
        ["SCMP_ARCH_PPC"] = "ppc",
        ["SCMP_ARCH_PPC64"] = "ppc64",
        ["SCMP_ARCH_PPC64LE"] = "ppc64le",
        ["SCMP_ARCH_RISCV64"] = "riscv64",
        ["SCMP_ARCH_S390"] = "s390",
        ["SCMP_ARCH_S390X"] = "s390x",
        ["SCMP_ARCH_X32"] = "x32",
        ["SCMP_ARCH_X86"] = "x86",
        ["SCMP_ARCH_X86_64"] = "x86_64",
    };

    /// <summary>The filter flags the runtime understands (as runc; WAIT_KILLABLE_RECV needs libseccomp 2.6).</summary>
    public static IReadOnlyList<string> KnownFlags { get; } = [FlagThreadSync, FlagSpecAllow, FlagLog];

    /// <summary>
    /// The action an OCI action name stands for; <paramref name="errnoRet"/> is used by ERRNO and TRACE only
    /// (EPERM when absent). Null for a name that is no action.
    /// </summary>
    public static SeccompAction? Action(string name, uint? errnoRet) => name switch
    {
        "SCMP_ACT_ALLOW" => SeccompAction.Allow,
        "SCMP_ACT_ERRNO" => SeccompAction.Errno(ErrnoRet(errnoRet)),
        "SCMP_ACT_TRACE" => SeccompAction.Trace(ErrnoRet(errnoRet)),
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => SeccompAction.KillThread,
        "SCMP_ACT_KILL_PROCESS" => SeccompAction.KillProcess,
        "SCMP_ACT_TRAP" => SeccompAction.Trap,
        "SCMP_ACT_LOG" => SeccompAction.Log,
        ActionNotify => SeccompAction.Notify,
        _ => null,
    };

    private static ushort ErrnoRet(uint? errnoRet) => errnoRet switch
    {
        null => DefaultErrnoRet,
        <= ushort.MaxValue => (ushort)errnoRet.Value,
        _ => throw new RuntimeException($"seccomp: errnoRet {errnoRet} is out of range (0-65535)"),
    };
}
