using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>
/// The eBPF program that is cgroup v2's device controller (BPF_PROG_TYPE_CGROUP_DEVICE, attached with
/// BPF_F_ALLOW_MULTI as runc and systemd attach theirs): loaded from raw instructions, attached to a cgroup directory,
/// and replacing the programs an earlier call attached there.
/// </summary>
public static unsafe class CgroupDeviceProgram
{
    private const long SysBpf = 321;
    private const int ProgLoad = 5, ProgAttach = 8, ProgDetach = 9, ProgGetFdById = 13, ProgQuery = 16;
    private const uint ProgTypeCgroupDevice = 15, AttachTypeCgroupDevice = 6, AllowMulti = 2;
    private const int AttrSize = 128, LogSize = 64 * 1024, MaxQueried = 64;

    /// <summary>
    /// Loads <paramref name="instructions"/> (struct bpf_insn, 8 bytes each) and attaches it to the cgroup at
    /// <paramref name="cgroupDir"/>, then detaches the programs attached there before, so the cgroup is never without
    /// one. Fails with the verifier's log when the kernel refuses the program.
    /// </summary>
    public static void Replace(string cgroupDir, ReadOnlySpan<ulong> instructions)
    {
        using var dir = FileDescriptors.Open(cgroupDir, OpenFlags.Directory | OpenFlags.ReadOnly);
        var before = Query(dir, cgroupDir);
        using var program = Load(instructions);
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)attr = (uint)dir.DangerousGetHandle();
        *(uint*)(attr + 4) = (uint)program.DangerousGetHandle();
        *(uint*)(attr + 8) = AttachTypeCgroupDevice;
        *(uint*)(attr + 12) = AllowMulti;
        if (Bpf(ProgAttach, attr) < 0) throw LinuxException.FromLastError("bpf(BPF_PROG_ATTACH)", cgroupDir);
        foreach (var id in before) Detach(dir, id, cgroupDir);
    }

    private static SafeFileHandle Load(ReadOnlySpan<ulong> instructions)
    {
        var license = "Apache\0"u8;
        var log = new byte[LogSize];
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        fixed (ulong* insns = instructions)
        fixed (byte* licensePtr = license)
        fixed (byte* logPtr = log)
        {
            *(uint*)attr = ProgTypeCgroupDevice;
            *(uint*)(attr + 4) = (uint)instructions.Length;
            *(ulong*)(attr + 8) = (ulong)insns;
            *(ulong*)(attr + 16) = (ulong)licensePtr;
            *(uint*)(attr + 24) = 1; // log level: the verifier explains a refusal
            *(uint*)(attr + 28) = LogSize;
            *(ulong*)(attr + 32) = (ulong)logPtr;
            var fd = Bpf(ProgLoad, attr);
            if (fd >= 0) return new SafeFileHandle((nint)fd, ownsHandle: true);
            var errno = Marshal.GetLastPInvokeError();
            var verifier = Encoding.UTF8.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0))).Trim();
            throw new LinuxException("bpf(BPF_PROG_LOAD)", verifier.Length == 0 ? "device filter" : $"device filter (verifier: {verifier})", errno);
        }
    }

    /// <summary>The ids of the device programs attached to the cgroup itself.</summary>
    private static List<uint> Query(SafeHandle dir, string cgroupDir)
    {
        var ids = stackalloc uint[MaxQueried];
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)attr = (uint)dir.DangerousGetHandle();
        *(uint*)(attr + 4) = AttachTypeCgroupDevice;
        *(ulong*)(attr + 16) = (ulong)ids;
        *(uint*)(attr + 24) = MaxQueried;
        if (Bpf(ProgQuery, attr) < 0) throw LinuxException.FromLastError("bpf(BPF_PROG_QUERY)", cgroupDir);
        var count = Math.Min(*(uint*)(attr + 24), MaxQueried);
        return [.. new ReadOnlySpan<uint>(ids, (int)count)];
    }

    private static void Detach(SafeHandle dir, uint id, string cgroupDir)
    {
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)attr = id;
        var fd = Bpf(ProgGetFdById, attr);
        if (fd < 0) return; // gone meanwhile
        using var program = new SafeFileHandle((nint)fd, ownsHandle: true);
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)attr = (uint)dir.DangerousGetHandle();
        *(uint*)(attr + 4) = (uint)fd;
        *(uint*)(attr + 8) = AttachTypeCgroupDevice;
        if (Bpf(ProgDetach, attr) < 0) throw LinuxException.FromLastError("bpf(BPF_PROG_DETACH)", cgroupDir);
    }

    private static int Bpf(int command, byte* attr) => (int)Sys.Call(SysBpf, command, (long)attr, AttrSize);
}
