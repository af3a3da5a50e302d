using System.Numerics;

namespace Berth.Linux.Capabilities;

/// <summary>A set of capabilities as the kernel holds it: bit n is capability n.</summary>
public readonly record struct CapabilitySet(ulong Mask)
{
    public static CapabilitySet Empty => default;

    /// <summary>Capabilities 0 to <paramref name="lastCap"/> inclusive.</summary>
    public static CapabilitySet UpTo(int lastCap) =>
        lastCap < 0 ? Empty : new(lastCap >= 63 ? ulong.MaxValue : (1UL << (lastCap + 1)) - 1);

    public static CapabilitySet Of(params ReadOnlySpan<Capability> capabilities)
    {
        var set = Empty;
        foreach (var capability in capabilities) set = set.With(capability);
        return set;
    }

    /// <summary>
    /// The set of the named capabilities ("CAP_NET_RAW"). Names this table does not know are left out and
    /// returned in <paramref name="unknown"/>, in the order given, once each.
    /// </summary>
    public static CapabilitySet Parse(IEnumerable<string> names, out IReadOnlyList<string> unknown)
    {
        var set = Empty;
        List<string>? missing = null;
        foreach (var name in names)
        {
            if (CapabilityNames.TryParse(name, out var capability)) set = set.With(capability);
            else if (missing is null || !missing.Contains(name)) (missing ??= []).Add(name);
        }
        unknown = missing ?? (IReadOnlyList<string>)[];
        return set;
    }

    public bool IsEmpty => Mask == 0;

    public int Count => BitOperations.PopCount(Mask);

    public bool Contains(Capability capability) => (uint)capability < 64 && (Mask & (1UL << (int)capability)) != 0;

    public CapabilitySet With(Capability capability) => new(Mask | Bit(capability));

    public CapabilitySet Without(Capability capability) => new(Mask & ~Bit(capability));

    public CapabilitySet Union(CapabilitySet other) => new(Mask | other.Mask);

    public CapabilitySet Intersect(CapabilitySet other) => new(Mask & other.Mask);

    public CapabilitySet Except(CapabilitySet other) => new(Mask & ~other.Mask);

    /// <summary>The capabilities in the set, in bit order.</summary>
    public IEnumerable<Capability> Capabilities()
    {
        for (var bits = Mask; bits != 0; bits &= bits - 1) yield return (Capability)BitOperations.TrailingZeroCount(bits);
    }

    /// <summary>The kernel names of the set, in bit order ("CAP_41" for a bit the table does not name).</summary>
    public IReadOnlyList<string> ToNames() => Capabilities().Select(CapabilityNames.Name).ToList();

    /// <summary>The 16-hex-digit form of <c>/proc/&lt;pid&gt;/status</c> (CapEff: 000001fffeffffff).</summary>
    public override string ToString() => Mask.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private static ulong Bit(Capability capability) =>
        (uint)capability < 64 ? 1UL << (int)capability : throw new ArgumentOutOfRangeException(nameof(capability), capability, "capability bit beyond 63");
}
