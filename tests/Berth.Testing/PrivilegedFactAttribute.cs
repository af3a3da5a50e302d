using Xunit.Sdk;

namespace Berth.Testing;

/// <summary>
/// A test that needs root (namespaces, mounts, cgroups, netlink). Without root it is skipped locally,
/// but under <c>CI=true</c> it runs anyway and fails: CI must never pass by skipping what it exists to prove.
/// Inside, <see cref="Skip"/> skips what this host cannot show (a kernel feature it lacks), with the reason.
/// </summary>
[XunitTestCaseDiscoverer("Berth.Testing.SkippableFactDiscoverer", "Berth.Testing")]
public sealed class PrivilegedFactAttribute : FactAttribute
{
    public PrivilegedFactAttribute()
    {
        if (!Privileges.IsRoot && !Privileges.IsCi) Skip = Privileges.SkipReason;
    }
}

/// <summary>The theory form of <see cref="PrivilegedFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("Berth.Testing.SkippableTheoryDiscoverer", "Berth.Testing")]
public sealed class PrivilegedTheoryAttribute : TheoryAttribute
{
    public PrivilegedTheoryAttribute()
    {
        if (!Privileges.IsRoot && !Privileges.IsCi) Skip = Privileges.SkipReason;
    }
}

/// <summary>A fact that may skip itself at run time through <see cref="Skip"/>.</summary>
[XunitTestCaseDiscoverer("Berth.Testing.SkippableFactDiscoverer", "Berth.Testing")]
public sealed class SkippableFactAttribute : FactAttribute;

/// <summary>A theory whose rows may skip themselves at run time through <see cref="Skip"/>.</summary>
[XunitTestCaseDiscoverer("Berth.Testing.SkippableTheoryDiscoverer", "Berth.Testing")]
public sealed class SkippableTheoryAttribute : TheoryAttribute;

public static class Privileges
{
    public const string SkipReason = "needs root (runs, and fails without it, when CI=true)";

    public static bool IsRoot => Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || GetEuid() == 0;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails the test with a clear reason when it runs without root (only possible under CI=true).</summary>
    public static void RequireRoot()
    {
        if (!IsRoot) Assert.Fail("this privileged test must run as root under CI=true");
    }

    private static uint GetEuid()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
                return uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2]);
        }
        return uint.MaxValue;
    }
}
