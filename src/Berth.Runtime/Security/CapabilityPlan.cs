using Berth.Linux.Capabilities;
using Berth.Oci.Runtime;
using LinuxBounding = Berth.Linux.Capabilities.Bounding;
using LinuxAmbient = Berth.Linux.Capabilities.Ambient;

namespace Berth.Runtime.Security;

/// <summary>A capability the plan left out, and why.</summary>
public sealed record CapabilityIssue(string Name, string Reason)
{
    public override string ToString() => $"{Name}: {Reason}";
}

/// <summary>
/// The five capability sets of <c>process.capabilities</c> as masks the calling thread can apply. Like runc, names
/// that cannot be applied are left out rather than fatal and listed in <see cref="Ignored"/> (for a warning): names
/// nobody knows, capabilities the running kernel lacks, capabilities outside the runtime's own bounding set (it
/// cannot grant them), and ambient capabilities missing from the permitted or inheritable set (the kernel refuses them).
/// </summary>
public sealed class CapabilityPlan
{
    private readonly int _lastCap;

    private CapabilityPlan(
        CapabilitySet bounding, CapabilitySet effective, CapabilitySet permitted, CapabilitySet inheritable,
        CapabilitySet ambient, IReadOnlyList<CapabilityIssue> ignored, int lastCap)
    {
        Bounding = bounding;
        Effective = effective;
        Permitted = permitted;
        Inheritable = inheritable;
        Ambient = ambient;
        Ignored = ignored;
        _lastCap = lastCap;
    }

    public CapabilitySet Bounding { get; }
    public CapabilitySet Effective { get; }
    public CapabilitySet Permitted { get; }
    public CapabilitySet Inheritable { get; }
    public CapabilitySet Ambient { get; }
    public IReadOnlyList<CapabilityIssue> Ignored { get; }

    /// <summary>The plan against the calling thread's bounding set and the running kernel.</summary>
    public static CapabilityPlan FromOci(LinuxCapabilities capabilities)
    {
        var lastCap = KernelCapabilities.LastCap();
        return FromOci(capabilities, LinuxBounding.Read(lastCap), lastCap);
    }

    /// <summary>The plan against a given bounding set (<paramref name="available"/>) and kernel last capability.</summary>
    public static CapabilityPlan FromOci(LinuxCapabilities capabilities, CapabilitySet available, int lastCap)
    {
        var issues = new List<CapabilityIssue>();
        var kernel = CapabilitySet.UpTo(lastCap);

        CapabilitySet Resolve(List<string>? names)
        {
            var requested = CapabilitySet.Parse(names ?? [], out var unknown);
            foreach (var name in unknown) Note(name, "unknown capability");
            foreach (var name in requested.Except(kernel).ToNames()) Note(name, $"not supported by the running kernel (last capability {lastCap})");
            foreach (var name in requested.Intersect(kernel).Except(available).ToNames()) Note(name, "not in the runtime's bounding set");
            return requested.Intersect(kernel).Intersect(available);
        }

        void Note(string name, string reason)
        {
            var issue = new CapabilityIssue(name, reason);
            if (!issues.Contains(issue)) issues.Add(issue);
        }

        var bounding = Resolve(capabilities.Bounding);
        var effective = Resolve(capabilities.Effective);
        var permitted = Resolve(capabilities.Permitted);
        var inheritable = Resolve(capabilities.Inheritable);
        var ambient = Resolve(capabilities.Ambient);
        foreach (var name in ambient.Except(permitted.Intersect(inheritable)).ToNames())
            Note(name, "ambient, but not in both the permitted and the inheritable set");
        ambient = ambient.Intersect(permitted).Intersect(inheritable);
        return new CapabilityPlan(bounding, effective, permitted, inheritable, ambient, issues, lastCap);
    }

    /// <summary>Step 1 (before the user switch, needs CAP_SETPCAP): drops from the calling thread's bounding set all that <see cref="Bounding"/> lacks.</summary>
    public void ApplyBoundingSet() => LinuxBounding.Drop(Bounding, _lastCap);

    /// <summary>Step 2 (after the user switch and KeepCaps.Set(false)): capset of the calling thread, then its ambient set.</summary>
    public void ApplyCapabilities()
    {
        ThreadCapabilities.Set(Effective, Permitted, Inheritable);
        LinuxAmbient.Set(Ambient);
    }
}
