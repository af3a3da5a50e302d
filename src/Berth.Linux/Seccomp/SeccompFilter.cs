using System.Runtime.InteropServices;

namespace Berth.Linux.Seccomp;

/// <summary>
/// A libseccomp filter being built: architectures, attributes and rules, then <see cref="Load"/>.
/// Building touches only memory; <see cref="Load"/> installs the filter on the calling thread
/// (on every thread only when <see cref="SeccompFilterAttribute.ThreadSync"/> is 1).
/// </summary>
public sealed class SeccompFilter : IDisposable
{
    private readonly SeccompFilterHandle _handle;

    private SeccompFilter(SeccompFilterHandle handle) => _handle = handle;

    /// <summary>
    /// A filter that answers <paramref name="defaultAction"/> to every syscall no rule matches. It does not set
    /// no_new_privs on load (<see cref="SeccompFilterAttribute.NoNewPrivileges"/> is 0: callers set it themselves when
    /// asked), applies to the calling thread only, and reports the kernel's own errno when loading fails.
    /// </summary>
    public static SeccompFilter Create(SeccompAction defaultAction)
    {
        var handle = LibSeccomp.Init(defaultAction.Value);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new LinuxException("seccomp_init", defaultAction.ToString(), Errno.EINVAL);
        }
        var filter = new SeccompFilter(handle);
        try
        {
            filter.Set(SeccompFilterAttribute.NoNewPrivileges, 0);
            filter.Set(SeccompFilterAttribute.ThreadSync, 0);
            // Without it, libseccomp 2.5 turns every kernel failure of seccomp_load into ECANCELED.
            filter.Set(SeccompFilterAttribute.RawReturnCodes, 1);
        }
        catch
        {
            filter.Dispose();
            throw;
        }
        return filter;
    }

    public void Set(SeccompFilterAttribute attribute, uint value) =>
        Check(LibSeccomp.AttrSet(_handle, attribute, value), "seccomp_attr_set", $"{attribute}={value}");

    public uint Get(SeccompFilterAttribute attribute)
    {
        Check(LibSeccomp.AttrGet(_handle, attribute, out var value), "seccomp_attr_get", attribute.ToString());
        return value;
    }

    /// <summary>Adds an architecture the filter also matches; one it already holds (the native one) is not an error.</summary>
    public void AddArchitecture(SeccompArchitecture architecture)
    {
        var rc = LibSeccomp.ArchAdd(_handle, architecture.Token);
        if (rc != -Errno.EEXIST) Check(rc, "seccomp_arch_add", architecture.ToString());
    }

    public bool HasArchitecture(SeccompArchitecture architecture) => LibSeccomp.ArchExist(_handle, architecture.Token) == 0;

    /// <summary>
    /// Answers <paramref name="action"/> to <paramref name="syscall"/> (a native number from
    /// <see cref="SeccompLibrary.TryResolveSyscall(string, out int)"/>) when every condition holds.
    /// <paramref name="name"/> only names the syscall in an error.
    /// </summary>
    public unsafe void AddRule(SeccompAction action, int syscall, ReadOnlySpan<SeccompCondition> conditions = default, string? name = null)
    {
        fixed (SeccompCondition* args = conditions)
        {
            Check(LibSeccomp.RuleAddArray(_handle, action.Value, syscall, (uint)conditions.Length, args),
                "seccomp_rule_add", name ?? syscall.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Installs the filter on the calling thread. Needs no_new_privs on this thread or CAP_SYS_ADMIN;
    /// every syscall this thread makes afterwards, including the ones of the .NET runtime, passes through it.
    /// </summary>
    public void Load() => Check(LibSeccomp.Load(_handle), "seccomp_load", null);

    /// <summary>Writes the compiled BPF program (host byte order) to <paramref name="fd"/>.</summary>
    public void ExportBpf(SafeHandle fd) => Export(fd, "seccomp_export_bpf", bpf: true);

    /// <summary>Writes libseccomp's human-readable pseudo filter code to <paramref name="fd"/>.</summary>
    public void ExportPfc(SafeHandle fd) => Export(fd, "seccomp_export_pfc", bpf: false);

    /// <summary>The compiled BPF program, to patch and load through <see cref="SeccompKernel.Load"/>.</summary>
    public BpfInstruction[] ExportProgram()
    {
        using var memfd = LibSeccomp.MemfdCreate("berth-seccomp", LibSeccomp.MFD_CLOEXEC);
        if (memfd.IsInvalid) throw LinuxException.FromLastError("memfd_create", "berth-seccomp");
        ExportBpf(memfd);
        var bytes = new byte[RandomAccess.GetLength(memfd)];
        var read = RandomAccess.Read(memfd, bytes, 0);
        return MemoryMarshal.Cast<byte, BpfInstruction>(bytes.AsSpan(0, read)).ToArray();
    }

    /// <summary>The seccomp(2) flags the attributes of this filter stand for.</summary>
    public SeccompLoadFlags LoadFlags =>
        (Get(SeccompFilterAttribute.ThreadSync) != 0 ? SeccompLoadFlags.ThreadSync : 0)
        | (Get(SeccompFilterAttribute.Log) != 0 ? SeccompLoadFlags.Log : 0)
        | (Get(SeccompFilterAttribute.SpecAllow) != 0 ? SeccompLoadFlags.SpecAllow : 0);

    public void Dispose() => _handle.Dispose();

    private void Export(SafeHandle fd, string call, bool bpf)
    {
        var added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            var raw = (int)fd.DangerousGetHandle();
            Check(bpf ? LibSeccomp.ExportBpf(_handle, raw) : LibSeccomp.ExportPfc(_handle, raw), call, null);
        }
        finally
        {
            if (added) fd.DangerousRelease();
        }
    }

    private static void Check(int rc, string call, string? target)
    {
        if (rc < 0) throw new LinuxException(call, target, -rc);
    }
}
