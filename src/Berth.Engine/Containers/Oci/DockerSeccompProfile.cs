using Berth.Oci.Runtime;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// A seccomp profile in Docker's format: the OCI section plus <c>archMap</c> (an architecture and its
/// sub-architectures) and conditional rules (<c>includes</c>/<c>excludes</c> by capability, architecture and minimum
/// kernel). <see cref="Render"/> resolves the conditions for one container into the plain OCI <c>linux.seccomp</c>,
/// as Docker does when it builds the spec.
/// </summary>
public sealed record DockerSeccompProfile
{
    public string DefaultAction { get; init; } = "";
    public uint? DefaultErrnoRet { get; init; }
    public IReadOnlyList<string>? Architectures { get; init; }
    public IReadOnlyList<SeccompArchMap> ArchMap { get; init; } = [];
    public IReadOnlyList<string>? Flags { get; init; }
    public IReadOnlyList<SeccompSyscallRule> Syscalls { get; init; } = [];

    /// <summary>libseccomp's architecture names → the OCI SCMP_ARCH_ names (moby profiles' nativeToSeccomp).</summary>
    private static readonly Dictionary<string, string> NativeToSeccomp = new(StringComparer.Ordinal)
    {
        ["x86"] = "SCMP_ARCH_X86", ["amd64"] = "SCMP_ARCH_X86_64", ["arm"] = "SCMP_ARCH_ARM", ["arm64"] = "SCMP_ARCH_AARCH64",
        ["loong64"] = "SCMP_ARCH_LOONGARCH64", ["mips64"] = "SCMP_ARCH_MIPS64", ["mips64n32"] = "SCMP_ARCH_MIPS64N32",
        ["mipsel64"] = "SCMP_ARCH_MIPSEL64", ["mips3l64n32"] = "SCMP_ARCH_MIPSEL64N32", ["mipsle"] = "SCMP_ARCH_MIPSEL",
        ["ppc"] = "SCMP_ARCH_PPC", ["ppc64"] = "SCMP_ARCH_PPC64", ["ppc64le"] = "SCMP_ARCH_PPC64LE", ["riscv64"] = "SCMP_ARCH_RISCV64",
        ["s390"] = "SCMP_ARCH_S390", ["s390x"] = "SCMP_ARCH_S390X",
    };

    /// <summary>
    /// The OCI section for a container whose bounding set is <paramref name="capabilities"/>, on the architecture
    /// <paramref name="arch"/> (libseccomp's name, "amd64") and kernel <paramref name="kernel"/>; null when the profile
    /// has neither a default action nor rules (seccomp disabled).
    /// </summary>
    public LinuxSeccomp? Render(IReadOnlyCollection<string> capabilities, string arch, KernelVersion kernel)
    {
        if (DefaultAction.Length == 0 && Syscalls.Count == 0) return null;
        if (Architectures is { Count: > 0 } && ArchMap.Count > 0)
            throw Invalid("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");

        var architectures = Architectures?.ToList();
        if (NativeToSeccomp.TryGetValue(arch, out var native) && ArchMap.FirstOrDefault(a => a.Architecture == native) is { } map)
            architectures = [.. architectures ?? [], map.Architecture, .. map.SubArchitectures];

        var rules = new List<LinuxSyscall>();
        foreach (var rule in Syscalls)
        {
            if (rule.Excludes is { } ex && ex.Matches(capabilities, arch, kernel, any: true)) continue;
            if (rule.Includes is { } inc && !inc.Matches(capabilities, arch, kernel, any: false)) continue;
            rules.Add(new LinuxSyscall
            {
                Names = [.. rule.Names], Action = rule.Action, ErrnoRet = rule.ErrnoRet,
                Args = rule.Args is { Count: > 0 } args
                    ? [.. args.Select(a => new LinuxSeccompArg { Index = a.Index, Value = a.Value, ValueTwo = a.ValueTwo, Op = a.Op })]
                    : null,
            });
        }
        return new LinuxSeccomp
        {
            DefaultAction = DefaultAction, DefaultErrnoRet = DefaultErrnoRet, Architectures = architectures,
            Flags = Flags?.ToList(), Syscalls = rules,
        };
    }

    internal static EngineException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
}

public sealed record SeccompArchMap(string Architecture, IReadOnlyList<string> SubArchitectures);

/// <summary>One rule: OCI's fields plus Docker's conditions.</summary>
public sealed record SeccompSyscallRule
{
    public required IReadOnlyList<string> Names { get; init; }
    public required string Action { get; init; }
    public uint? ErrnoRet { get; init; }
    public IReadOnlyList<SeccompArgument>? Args { get; init; }
    public SeccompCondition? Includes { get; init; }
    public SeccompCondition? Excludes { get; init; }
}

public sealed record SeccompArgument(uint Index, ulong Value, ulong ValueTwo, string Op);

/// <summary>
/// A rule's condition. As <c>includes</c> every part must hold (all capabilities in the bounding set, the architecture
/// listed, the kernel at least MinKernel); as <c>excludes</c> any one part excludes the rule.
/// </summary>
public sealed record SeccompCondition
{
    public IReadOnlyList<string> Caps { get; init; } = [];
    public IReadOnlyList<string> Arches { get; init; } = [];
    public KernelVersion? MinKernel { get; init; }

    internal bool Matches(IReadOnlyCollection<string> capabilities, string arch, KernelVersion kernel, bool any)
    {
        if (any)
            return Arches.Contains(arch) || Caps.Any(capabilities.Contains) || (MinKernel is { } min && kernel >= min);
        return (Arches.Count == 0 || Arches.Contains(arch))
            && Caps.All(capabilities.Contains)
            && (MinKernel is not { } required || kernel >= required);
    }
}
