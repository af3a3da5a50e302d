using System.Buffers.Binary;
using Berth.Linux.Seccomp;

namespace Berth.Runtime.Tests.Security;

/// <summary>Runs a seccomp BPF program over one <c>struct seccomp_data</c>, the way the kernel would, to test programs without loading them.</summary>
internal static class BpfInterpreter
{
    public const uint AuditArchX86_64 = 0xC000003E;
    public const uint AuditArchI386 = 0x40000003;

    public static SeccompAction Run(IReadOnlyList<BpfInstruction> program, uint arch, int nr, params ulong[] args)
    {
        var data = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(data, nr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), arch);
        for (var i = 0; i < args.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16 + 8 * i), args[i]);

        uint a = 0, x = 0;
        var memory = new uint[16];
        for (var pc = 0; pc < program.Count; pc++)
        {
            var insn = program[pc];
            var k = insn.K;
            switch (insn.Code)
            {
                case 0x20: a = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan((int)k)); break; // ld [k]
                case 0x60: a = memory[k]; break;                                                  // ld M[k]
                case 0x61: x = memory[k]; break;                                                  // ldx M[k]
                case 0x02: memory[k] = a; break;                                                  // st M[k]
                case 0x03: memory[k] = x; break;                                                  // stx M[k]
                case 0x54: a &= k; break;                                                         // and #k
                case 0x07: x = a; break;                                                          // tax
                case 0x87: a = x; break;                                                          // txa
                case 0x05: pc += (int)k; break;                                                   // ja
                case 0x15: pc += a == k ? insn.JumpTrue : insn.JumpFalse; break;
                case 0x25: pc += a > k ? insn.JumpTrue : insn.JumpFalse; break;
                case 0x35: pc += a >= k ? insn.JumpTrue : insn.JumpFalse; break;
                case 0x45: pc += (a & k) != 0 ? insn.JumpTrue : insn.JumpFalse; break;
                case 0x1d: pc += a == x ? insn.JumpTrue : insn.JumpFalse; break;
                case 0x2d: pc += a > x ? insn.JumpTrue : insn.JumpFalse; break;
                case 0x3d: pc += a >= x ? insn.JumpTrue : insn.JumpFalse; break;
                case 0x4d: pc += (a & x) != 0 ? insn.JumpTrue : insn.JumpFalse; break;
                case 0x06: return new SeccompAction(k);
                case 0x16: return new SeccompAction(a);
                default: throw new NotSupportedException($"BPF opcode 0x{insn.Code:x2} at {pc}");
            }
        }
        throw new InvalidOperationException("the program ran off its end");
    }
}
