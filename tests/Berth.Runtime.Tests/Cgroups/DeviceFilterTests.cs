using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Cgroups.V2;

namespace Berth.Runtime.Tests.Cgroups;

/// <summary>
/// The device rules compiled for cgroup v2, run by a small interpreter of the instructions the compiler emits against
/// the context the kernel passes (type | access &lt;&lt; 16, major, minor).
/// </summary>
public sealed class DeviceFilterTests
{
    private const int Block = 1, Char = 2, Mknod = 1, Read = 2, Write = 4;

    private static readonly LinuxDeviceCgroup DenyAll = new() { Allow = false, Access = "rwm" };

    [Fact]
    public void Docker_style_rules_deny_by_default_and_allow_what_they_list()
    {
        var program = DeviceFilter.Compile(
        [
            DenyAll,
            new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rwm" },
            new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 136, Access = "rw" },
            new LinuxDeviceCgroup { Allow = true, Type = "b", Major = 7, Minor = 0, Access = "r" },
        ]);

        Assert.True(Allows(program, Char, Read | Write, 1, 3));
        Assert.True(Allows(program, Char, Mknod, 1, 3));
        Assert.False(Allows(program, Char, Read, 1, 5));
        Assert.True(Allows(program, Char, Write, 136, 42));
        Assert.False(Allows(program, Char, Mknod, 136, 42));
        Assert.True(Allows(program, Block, Read, 7, 0));
        Assert.False(Allows(program, Block, Read | Write, 7, 0));
        Assert.False(Allows(program, Block, Read, 8, 0));
    }

    [Fact]
    public void The_last_matching_rule_wins_and_a_catch_all_ends_the_program()
    {
        var denyAfterAllow = DeviceFilter.Compile(
        [
            new LinuxDeviceCgroup { Allow = true, Access = "rwm" },
            new LinuxDeviceCgroup { Allow = false, Type = "c", Major = 1, Minor = 5, Access = "w" },
        ]);
        Assert.True(Allows(denyAfterAllow, Char, Read, 1, 5));
        Assert.False(Allows(denyAfterAllow, Char, Write, 1, 5));
        Assert.True(Allows(denyAfterAllow, Block, Write, 8, 1));

        var allowThenDenyAll = DeviceFilter.Compile([new LinuxDeviceCgroup { Allow = true, Type = "c", Access = "rwm" }, DenyAll]);
        Assert.False(Allows(allowThenDenyAll, Char, Read, 1, 3));
        Assert.Equal(6 + 2, allowThenDenyAll.Length); // the context loads, then the catch-all: the rule before it is dead
    }

    [Fact]
    public void Bad_rules_are_refused()
    {
        Assert.Throws<CgroupException>(() => DeviceFilter.Compile([new LinuxDeviceCgroup { Type = "x" }]));
        Assert.Throws<CgroupException>(() => DeviceFilter.Compile([new LinuxDeviceCgroup { Type = "c", Access = "rwx" }]));
    }

    /// <summary>Runs the program: the opcodes DeviceFilter emits, with the kernel's meaning.</summary>
    private static bool Allows(ulong[] program, int type, int access, uint major, uint minor)
    {
        var context = new[] { (uint)(type | access << 16), major, minor };
        var r = new ulong[11];
        for (var pc = 0; pc < program.Length; pc++)
        {
            var insn = program[pc];
            var (code, dst, src) = ((byte)insn, (int)(insn >> 8) & 0xF, (int)(insn >> 12) & 0xF);
            var (offset, imm) = ((short)(insn >> 16), (int)(insn >> 32));
            switch (code)
            {
                case 0x61: r[dst] = context[offset / 4]; break;
                case 0x54: r[dst] = (uint)r[dst] & (uint)imm; break;
                case 0x74: r[dst] = (uint)r[dst] >> imm; break;
                case 0xbc: r[dst] = (uint)r[src]; break;
                case 0xb7: r[dst] = (ulong)(long)imm; break;
                case 0x55: if (r[dst] != (ulong)(long)imm) pc += offset; break;
                case 0x5d: if (r[dst] != r[src]) pc += offset; break;
                case 0x95: return r[0] == 1;
                default: throw new InvalidOperationException($"opcode 0x{code:x2} at {pc}");
            }
        }
        throw new InvalidOperationException("the program runs off its end");
    }
}
