namespace Berth.Testing;

/// <summary>
/// A test that needs root (namespaces, mounts, cgroups, netlink). Without root it is skipped locally,
/// but under <c>CI=true</c> it runs anyway and fails: CI must never pass by skipping what it exists to prove.
/// </summary>
public sealed class PrivilegedFactAttribute : FactAttribute
{
    public PrivilegedFactAttribute()
    {
        if (!Privileges.IsRoot && !Privileges.IsCi) Skip = "needs root (runs, and fails without it, when CI=true)";
    }
}

/// <summary>The theory form of <see cref="PrivilegedFactAttribute"/>.</summary>
public sealed class PrivilegedTheoryAttribute : TheoryAttribute
{
    public PrivilegedTheoryAttribute()
    {
        if (!Privileges.IsRoot && !Privileges.IsCi) Skip = "needs root (runs, and fails without it, when CI=true)";
    }
}

public static class Privileges
{
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
