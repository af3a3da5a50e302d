using System.Runtime.InteropServices;

namespace Berth.Linux.Seccomp;

/// <summary>One classic BPF instruction (<c>struct sock_filter</c>), the unit of a seccomp program.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct BpfInstruction(ushort Code, byte JumpTrue, byte JumpFalse, uint K)
{
    // Opcodes seccomp programs use (linux/bpf_common.h): class | size | mode, or class | op | source.
    public const ushort LoadWordAbsolute = 0x20; // BPF_LD | BPF_W | BPF_ABS
    public const ushort JumpAlways = 0x05;       // BPF_JMP | BPF_JA
    public const ushort JumpEqual = 0x15;        // BPF_JMP | BPF_JEQ | BPF_K
    public const ushort JumpGreater = 0x25;      // BPF_JMP | BPF_JGT | BPF_K
    public const ushort JumpSet = 0x45;          // BPF_JMP | BPF_JSET | BPF_K
    public const ushort Return = 0x06;           // BPF_RET | BPF_K

    /// <summary>Offsets in <c>struct seccomp_data</c>.</summary>
    public const uint SyscallNumberOffset = 0;

    public const uint ArchitectureOffset = 4;

    public static BpfInstruction Load(uint offset) => new(LoadWordAbsolute, 0, 0, offset);

    public static BpfInstruction Jump(uint skip) => new(JumpAlways, 0, 0, skip);

    public static BpfInstruction Ret(SeccompAction action) => new(Return, 0, 0, action.Value);
}
