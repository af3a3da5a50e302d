using Berth.Linux.Seccomp;
using static Berth.Linux.Seccomp.BpfInstruction;

namespace Berth.Runtime.Security;

/// <summary>
/// runc's "patchbpf" behaviour: a profile whose default action denies would also deny syscalls newer than the
/// profile, with EPERM, and libc then believes the call failed instead of falling back to an older one
/// (clone3 → clone, faccessat2 → faccessat, fchmodat2…). So, per architecture, a syscall numbered above the highest
/// one the profile names returns ENOSYS, as on a kernel that lacks it; every other syscall runs through the
/// libseccomp program unchanged. Like runc, this trusts syscall numbers to grow with time (close_range is an exception).
/// </summary>
/// <remarks>
/// Layout, prepended to libseccomp's program (every jump goes forward, so the ENOSYS return sits after the blocks):
/// <code>
///   ld  [arch]
///   per architecture:  jeq AUDIT_ARCH, 0, next ; ld [nr] ; [x86_64: jset X32_BIT, x32, x64] ; jgt MAX, enosys, filter
///   ja  filter                      (an architecture without a block)
///   enosys: ret ERRNO(ENOSYS)
///   filter: libseccomp's program (starts with its own architecture check)
/// </code>
/// </remarks>
public static class EnosysStub
{
    private const uint AuditArchX86_64 = 0xC000_003E;
    private const uint TokenX32 = 0x4000_003E;
    private const uint X32SyscallBit = 0x4000_0000;
    private const uint TokenS390 = 0x0000_0016;
    private const uint TokenS390X = 0x8000_0016;
    private const ushort ENOSYS = 38;

    /// <summary>
    /// The highest syscall number <paramref name="names"/> reach on each architecture (x32 numbers carry their
    /// 0x40000000 bit). Architectures where none resolves are left out; so are s390 and s390x, whose multiplexed
    /// syscall numbers this stub does not model.
    /// </summary>
    public static Dictionary<SeccompArchitecture, uint> LastSyscalls(IEnumerable<string> names, IEnumerable<SeccompArchitecture> architectures)
    {
        var last = new Dictionary<SeccompArchitecture, uint>();
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        foreach (var architecture in architectures.Distinct())
        {
            if (architecture.Token is TokenS390 or TokenS390X or 0) continue;
            uint max = 0;
            foreach (var name in distinct)
            {
                if (SeccompLibrary.TryResolveSyscall(name, architecture, out var number) && number > 0 && (uint)number > max) max = (uint)number;
            }
            if (max > 0) last[architecture] = max;
        }
        return last;
    }

    /// <summary>The instructions to put before libseccomp's program; empty when there is no architecture to guard.</summary>
    public static BpfInstruction[] Generate(IReadOnlyDictionary<SeccompArchitecture, uint> lastSyscalls)
    {
        var blocks = lastSyscalls
            .GroupBy(pair => pair.Key.Token == TokenX32 ? AuditArchX86_64 : pair.Key.Token)
            .Select(group => new Block(
                group.Key,
                group.Where(p => p.Key.Token != TokenX32).Select(p => (uint?)p.Value).FirstOrDefault(),
                group.Where(p => p.Key.Token == TokenX32).Select(p => (uint?)p.Value).FirstOrDefault()))
            .OrderBy(block => block.AuditArch)
            .ToList();
        if (blocks.Count == 0) return [];

        var enosys = 1 + blocks.Sum(b => b.Length) + 1;
        var filter = enosys + 1;
        var program = new List<BpfInstruction>(filter) { Load(ArchitectureOffset) };
        foreach (var block in blocks)
        {
            program.Add(new BpfInstruction(JumpEqual, 0, Short(block.Length - 1), block.AuditArch));
            program.Add(Load(SyscallNumberOffset));
            if (block.AuditArch == AuditArchX86_64)
            {
                program.Add(new BpfInstruction(JumpSet, 0, 1, X32SyscallBit));
                program.Add(Limit(block.MaxX32, program.Count, enosys, filter));
            }
            program.Add(Limit(block.Max, program.Count, enosys, filter));
        }
        program.Add(Jump((uint)(filter - (program.Count + 1))));
        program.Add(Ret(SeccompAction.Errno(ENOSYS)));
        return [.. program];
    }

    /// <summary>Whether a profile with this default action needs the stub: not when new syscalls are allowed anyway (runc).</summary>
    public static bool Needed(SeccompAction defaultAction) =>
        defaultAction != SeccompAction.Allow && defaultAction != SeccompAction.Log
        && (defaultAction.Value & 0xffff_0000) != SeccompAction.Trace(0).Value
        && defaultAction != SeccompAction.Errno(ENOSYS);

    /// <summary>Above <paramref name="max"/>: ENOSYS; otherwise (or with no limit) on to the filter.</summary>
    private static BpfInstruction Limit(uint? max, int pc, int enosys, int filter) => max is { } limit
        ? new BpfInstruction(JumpGreater, Short(enosys - (pc + 1)), Short(filter - (pc + 1)), limit)
        : Jump((uint)(filter - (pc + 1)));

    private static byte Short(int offset) =>
        offset is >= 0 and <= byte.MaxValue ? (byte)offset : throw new InvalidOperationException($"seccomp stub jump of {offset} does not fit");

    private sealed record Block(uint AuditArch, uint? Max, uint? MaxX32)
    {
        public int Length => AuditArch == AuditArchX86_64 ? 5 : 3;
    }
}
