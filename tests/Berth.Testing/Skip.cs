namespace Berth.Testing;

/// <summary>
/// Skips the running test from inside it, for a reason only known at run time (a kernel feature this host lacks, a
/// check that does not apply to its cgroup mode). xunit 2 has no dynamic skip: only tests marked [SkippableFact],
/// [SkippableTheory], [PrivilegedFact] or [PrivilegedTheory] report the skip as a skip; under any other attribute it is
/// a failure, which is the safe side.
/// </summary>
public static class Skip
{
    /// <summary>Skips the test when the condition holds.</summary>
    public static void If(bool condition, string reason)
    {
        if (condition) throw new SkipException(reason);
    }

    /// <summary>Skips the test unless the condition holds.</summary>
    public static void Unless(bool condition, string reason) => If(!condition, reason);
}

/// <summary>Thrown by <see cref="Skip"/>; the skippable test cases turn it into a skipped result with its message.</summary>
public sealed class SkipException(string reason) : Exception(reason);
