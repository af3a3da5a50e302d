using System.Runtime.InteropServices;

namespace Berth.Linux.Seccomp;

/// <summary><c>SECCOMP_FILTER_FLAG_*</c> of the seccomp(2) system call.</summary>
[Flags]
public enum SeccompLoadFlags : uint
{
    None = 0,
    ThreadSync = 1,
    Log = 2,
    SpecAllow = 4,
}

/// <summary>
/// seccomp(2) itself, for a program libseccomp did not emit whole (Berth prepends instructions to it). Like
/// <see cref="SeccompFilter.Load"/>, it installs the program on the calling thread only, unless
/// <see cref="SeccompLoadFlags.ThreadSync"/> is given.
/// </summary>
public static unsafe partial class SeccompKernel
{
    private const int SECCOMP_SET_MODE_FILTER = 1;

    /// <summary>The kernel's limit on a program's length (BPF_MAXINSNS).</summary>
    public const int MaxInstructions = 4096;

    public static void Load(ReadOnlySpan<BpfInstruction> program, SeccompLoadFlags flags)
    {
        if (program.Length is 0 or > MaxInstructions)
            throw new LinuxException("seccomp(SECCOMP_SET_MODE_FILTER)", $"{program.Length} instructions", Errno.EINVAL);
        fixed (BpfInstruction* instructions = program)
        {
            var prog = new SockFprog { Length = (ushort)program.Length, Filter = instructions };
            var rc = Syscall(SeccompSyscallNumber(), SECCOMP_SET_MODE_FILTER, (nint)(uint)flags, (nint)(&prog));
            if (rc == -1) throw LinuxException.FromLastError("seccomp(SECCOMP_SET_MODE_FILTER)", $"flags={flags}");
            // With TSYNC, a positive result is the id of a thread whose filters could not be synchronised.
            if (rc > 0) throw new LinuxException("seccomp(SECCOMP_FILTER_FLAG_TSYNC)", $"thread {rc}", Errno.EBUSY);
        }
    }

    private static nint SeccompSyscallNumber() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 317,
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 277,
        Architecture.X86 => 354,
        Architecture.Arm => 383,
        Architecture.Ppc64le => 358,
        Architecture.S390x => 348,
        var other => throw new PlatformNotSupportedException($"seccomp(2) syscall number unknown on {other}"),
    };

    [StructLayout(LayoutKind.Sequential)]
    private struct SockFprog
    {
        public ushort Length;
        public BpfInstruction* Filter;
    }

    // syscall(2) is variadic; the integer arguments travel in the same registers as fixed ones on Linux ABIs.
    [LibraryImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = true)]
    private static partial nint Syscall(nint number, nint a1, nint a2, nint a3);
}
