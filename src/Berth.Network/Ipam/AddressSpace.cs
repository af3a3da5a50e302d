using System.Net;

namespace Berth.Network.Ipam;

/// <summary>
/// The addresses of one network's subnet: given out lowest free first from its range, never the network address,
/// the broadcast address, the gateway or an auxiliary address. Not thread-safe: its network serializes access.
/// </summary>
public sealed class AddressSpace
{
    private readonly HashSet<uint> _used = [];
    private readonly uint _first;
    private readonly uint _last;
    private readonly uint _network;
    private readonly uint _broadcast;

    public AddressSpace(IPNetwork subnet, IPNetwork? range, IEnumerable<IPAddress> reserved)
    {
        Subnet = subnet;
        (_network, _broadcast) = Ipv4.Bounds(subnet);
        (_first, _last) = Ipv4.Bounds(range ?? subnet);
        foreach (var address in reserved) _used.Add(Ipv4.ToNumber(address));
    }

    public IPNetwork Subnet { get; }

    /// <summary>Gives out the lowest free address of the range.</summary>
    public IPAddress Allocate()
    {
        for (var candidate = (ulong)_first; candidate <= _last; candidate++)
        {
            var value = (uint)candidate;
            if (IsHost(value) && _used.Add(value)) return Ipv4.FromNumber(value);
        }
        throw new AddressException("no available addresses on this pool");
    }

    /// <summary>Takes a specific address (a static <c>--ip</c>, or one found in use after a restart).</summary>
    public void Reserve(IPAddress address)
    {
        var value = Ipv4.ToNumber(address);
        if (!Subnet.Contains(address) || !IsHost(value))
            throw new AddressException($"no configured subnet or ip-range contain the IP address {address}");
        if (!_used.Add(value)) throw new AddressException("Address already in use");
    }

    public void Release(IPAddress address) => _used.Remove(Ipv4.ToNumber(address));

    public bool InUse(IPAddress address) => _used.Contains(Ipv4.ToNumber(address));

    // Subnets of /31 and /32 have no network or broadcast address to skip.
    private bool IsHost(uint value) => Subnet.PrefixLength >= 31 || (value != _network && value != _broadcast);
}

/// <summary>An address that cannot be given out; the message is libnetwork's.</summary>
public sealed class AddressException(string message) : Exception(message);
