namespace Berth.Linux.Seccomp;

/// <summary>A libseccomp architecture token (<c>SCMP_ARCH_*</c>, an <c>AUDIT_ARCH_*</c> value or 0 for native).</summary>
public readonly record struct SeccompArchitecture(uint Token)
{
    public static SeccompArchitecture Native => new(0);

    /// <summary>The architecture this process runs as, as libseccomp names it.</summary>
    public static SeccompArchitecture Current => new(LibSeccomp.ArchNative());

    /// <summary>
    /// Resolves libseccomp's own name of an architecture ("x86_64", "x86", "x32", "aarch64", "arm", "ppc64le", "s390x"…);
    /// false when this libseccomp does not know it.
    /// </summary>
    public static bool TryResolve(string name, out SeccompArchitecture architecture)
    {
        var token = LibSeccomp.ArchResolveName(name);
        architecture = new SeccompArchitecture(token);
        return token != 0;
    }

    public override string ToString() => $"0x{Token:x8}";
}
