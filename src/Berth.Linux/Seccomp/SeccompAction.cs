namespace Berth.Linux.Seccomp;

/// <summary>A libseccomp action (<c>SCMP_ACT_*</c>): the 32-bit value a filter returns for a syscall.</summary>
public readonly record struct SeccompAction(uint Value)
{
    private const uint ErrnoBase = 0x0005_0000;
    private const uint TraceBase = 0x7ff0_0000;
    private const uint DataMask = 0x0000_ffff;

    /// <summary>Kill the whole process (kernel 4.14+).</summary>
    public static SeccompAction KillProcess => new(0x8000_0000);

    /// <summary>Kill the calling thread; <c>SCMP_ACT_KILL</c> is this action.</summary>
    public static SeccompAction KillThread => new(0x0000_0000);

    /// <summary>Send SIGSYS to the thread.</summary>
    public static SeccompAction Trap => new(0x0003_0000);

    /// <summary>Hand the syscall to a user-space listener (needs a listener fd).</summary>
    public static SeccompAction Notify => new(0x7fc0_0000);

    /// <summary>Allow after logging (kernel 4.14+).</summary>
    public static SeccompAction Log => new(0x7ffc_0000);

    public static SeccompAction Allow => new(0x7fff_0000);

    /// <summary>Fail the syscall with <paramref name="errno"/>.</summary>
    public static SeccompAction Errno(ushort errno) => new(ErrnoBase | errno);

    /// <summary>Notify a ptrace tracer with <paramref name="message"/>; without a tracer the syscall fails with ENOSYS.</summary>
    public static SeccompAction Trace(ushort message) => new(TraceBase | message);

    public override string ToString() => (Value & ~DataMask) switch
    {
        ErrnoBase => $"SCMP_ACT_ERRNO({Value & DataMask})",
        TraceBase => $"SCMP_ACT_TRACE({Value & DataMask})",
        _ when this == KillProcess => "SCMP_ACT_KILL_PROCESS",
        _ when this == KillThread => "SCMP_ACT_KILL_THREAD",
        _ when this == Trap => "SCMP_ACT_TRAP",
        _ when this == Notify => "SCMP_ACT_NOTIFY",
        _ when this == Log => "SCMP_ACT_LOG",
        _ when this == Allow => "SCMP_ACT_ALLOW",
        _ => $"0x{Value:x8}",
    };
}
