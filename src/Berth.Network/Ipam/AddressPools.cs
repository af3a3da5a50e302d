using System.Net;

namespace Berth.Network.Ipam;

/// <summary>One <c>--default-address-pool</c>: a base range split into subnets of <see cref="Size"/> bits.</summary>
public sealed record AddressPool(IPNetwork Base, int Size)
{
    /// <summary>Docker's defaults: 172.17.0.0/16 through 172.31.0.0/16, then 192.168.0.0/16 in /20s.</summary>
    public static IReadOnlyList<AddressPool> Defaults { get; } =
    [
        new(new IPNetwork(IPAddress.Parse("172.17.0.0"), 12), 16),
        new(new IPNetwork(IPAddress.Parse("192.168.0.0"), 16), 20),
    ];

    /// <summary>Parses dockerd's <c>base=10.10.0.0/16,size=24</c>.</summary>
    public static AddressPool Parse(string text)
    {
        IPNetwork? @base = null;
        int? size = null;
        foreach (var field in text.Split(','))
        {
            var (key, value) = field.IndexOf('=') is var eq and > 0 ? (field[..eq].Trim(), field[(eq + 1)..].Trim()) : (field.Trim(), "");
            switch (key)
            {
                case "base" when Ipv4.TryParseSubnet(value, out var subnet):
                    @base = subnet;
                    break;
                case "size" when int.TryParse(value, out var bits) && bits is > 0 and <= 32:
                    size = bits;
                    break;
                default:
                    throw new FormatException($"invalid default address pool field \"{field}\" in \"{text}\"");
            }
        }
        if (@base is null || size is null) throw new FormatException($"invalid default address pool \"{text}\": base and size are required");
        if (size < @base.Value.PrefixLength)
            throw new FormatException($"invalid default address pool \"{text}\": size must not be smaller than the base's prefix");
        return new AddressPool(@base.Value, size.Value);
    }

    /// <summary>The subnets of this pool, in order.</summary>
    public IEnumerable<IPNetwork> Subnets()
    {
        var (first, last) = Ipv4.Bounds(Base);
        var step = Size == 32 ? 1UL : 1UL << (32 - Size);
        for (ulong start = first; start <= last; start += step)
            yield return new IPNetwork(Ipv4.FromNumber((uint)start), Size);
    }

    /// <summary>
    /// The first subnet of <paramref name="pools"/> that overlaps none of <paramref name="taken"/> (other networks, and
    /// the host's own routes), or null when every one does.
    /// </summary>
    public static IPNetwork? PickFree(IEnumerable<AddressPool> pools, IReadOnlyCollection<IPNetwork> taken) =>
        pools.SelectMany(p => p.Subnets()).Cast<IPNetwork?>()
            .FirstOrDefault(candidate => !taken.Any(t => Ipv4.Overlaps(t, candidate!.Value)));
}
