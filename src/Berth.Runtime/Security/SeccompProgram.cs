using Berth.Linux.Seccomp;

namespace Berth.Runtime.Security;

/// <summary>
/// A seccomp program ready to load: libseccomp's BPF, with the ENOSYS stub in front when <see cref="Patched"/>.
/// Building it allocates and may fail; loading it is one syscall, so build early and load last, just before execve.
/// </summary>
public sealed class SeccompProgram(BpfInstruction[] instructions, SeccompLoadFlags flags, bool patched)
{
    public IReadOnlyList<BpfInstruction> Instructions => instructions;

    public SeccompLoadFlags Flags => flags;

    /// <summary>Whether syscalls newer than the profile get ENOSYS (see <see cref="EnosysStub"/>).</summary>
    public bool Patched => patched;

    /// <summary>
    /// Installs the program on the CALLING THREAD (all threads only with SECCOMP_FILTER_FLAG_TSYNC). Needs
    /// no_new_privs on this thread or CAP_SYS_ADMIN.
    /// </summary>
    public void Load() => SeccompKernel.Load(instructions, flags);
}
