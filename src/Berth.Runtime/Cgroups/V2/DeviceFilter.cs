using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V2;

/// <summary>
/// Compiles OCI device rules into the eBPF program cgroup v2 enforces them with (BPF_PROG_TYPE_CGROUP_DEVICE). The
/// program sees one access (type, access bits, major, minor) and answers 1 (allow) or 0 (deny). The rules are tested
/// from the last to the first, so the last rule matching an access decides it, as writing them in order to v1's
/// devices.allow and devices.deny does; a rule matching everything ends the program, and an access no rule matches
/// is denied.
/// </summary>
public static class DeviceFilter
{
    // struct bpf_cgroup_dev_ctx { u32 access_type (type | access << 16); u32 major; u32 minor; }
    private const byte R0 = 0, R1 = 1, Type = 2, Access = 3, Major = 4, Minor = 5;
    private const byte LoadWord = 0x61, And32Imm = 0x54, Rsh32Imm = 0x74, Mov32Reg = 0xbc, Mov64Imm = 0xb7;
    private const byte JneImm = 0x55, JneReg = 0x5d, Exit = 0x95;
    private const int DevBlock = 1, DevChar = 2, AccMknod = 1, AccRead = 2, AccWrite = 4, AllAccess = 7;

    public static ulong[] Compile(IReadOnlyList<LinuxDeviceCgroup> rules)
    {
        var program = new List<ulong>
        {
            Insn(LoadWord, Type, R1, 0, 0), Insn(And32Imm, Type, 0, 0, 0xFFFF),
            Insn(LoadWord, Access, R1, 0, 0), Insn(Rsh32Imm, Access, 0, 0, 16),
            Insn(LoadWord, Major, R1, 4, 0), Insn(LoadWord, Minor, R1, 8, 0),
        };
        for (var i = rules.Count - 1; i >= 0; i--)
        {
            var (block, matchesAll) = Block(rules[i]);
            program.AddRange(block);
            if (matchesAll) return [.. program];
        }
        program.AddRange([Insn(Mov64Imm, R0, 0, 0, 0), Insn(Exit, 0, 0, 0, 0)]);
        return [.. program];
    }

    /// <summary>One rule: tests that jump past the block when the access does not match, then the rule's answer.</summary>
    private static (List<ulong> Block, bool MatchesAll) Block(LinuxDeviceCgroup rule)
    {
        var tests = new List<(byte Code, byte Dst, byte Src, int Imm)>();
        var type = rule.Type switch
        {
            null or "" or "a" => 0,
            "b" => DevBlock,
            "c" => DevChar,
            _ => throw new CgroupException($"invalid device rule type \"{rule.Type}\""),
        };
        if (type != 0) tests.Add((JneImm, Type, 0, type));
        var access = AccessBits(rule.Access);
        if (access != AllAccess)
        {
            tests.Add((Mov32Reg, R1, Access, 0));
            tests.Add((And32Imm, R1, 0, access));
            tests.Add((JneReg, R1, Access, 0));
        }
        if (rule.Major is { } major and >= 0) tests.Add((JneImm, Major, 0, checked((int)major)));
        if (rule.Minor is { } minor and >= 0) tests.Add((JneImm, Minor, 0, checked((int)minor)));

        var length = tests.Count + 2;
        var block = tests.Select((t, at) => Insn(t.Code, t.Dst, t.Src, IsJump(t.Code) ? (short)(length - at - 1) : (short)0, t.Imm)).ToList();
        block.Add(Insn(Mov64Imm, R0, 0, 0, rule.Allow ? 1 : 0));
        block.Add(Insn(Exit, 0, 0, 0, 0));
        return (block, tests.Count == 0);
    }

    private static int AccessBits(string? access)
    {
        if (string.IsNullOrEmpty(access)) return AllAccess;
        var bits = 0;
        foreach (var c in access)
        {
            bits |= c switch
            {
                'r' => AccRead,
                'w' => AccWrite,
                'm' => AccMknod,
                _ => throw new CgroupException($"invalid device rule access \"{access}\""),
            };
        }
        return bits;
    }

    private static bool IsJump(byte code) => code is JneImm or JneReg;

    /// <summary>struct bpf_insn as one little-endian word: code, dst and src registers, offset, immediate.</summary>
    private static ulong Insn(byte code, byte dst, byte src, short offset, int imm) =>
        code | ((ulong)(byte)(dst | (src << 4)) << 8) | ((ulong)(ushort)offset << 16) | ((ulong)(uint)imm << 32);
}
