using System.Runtime.InteropServices;

namespace Berth.Linux.Netlink;

/// <summary>
/// How to create one link (a bridge, or one end of a veth pair): everything is applied by the kernel in the same
/// request, so the link never exists half-configured. Zero and null mean the kernel's default.
/// </summary>
/// <param name="Name">The interface name (at most 15 bytes).</param>
public sealed record LinkSettings(string Name)
{
    /// <summary>The MTU; 0 keeps the kernel's (1500 for a veth or a bridge).</summary>
    public int Mtu { get; init; }

    /// <summary>The 6-byte MAC address; null lets the kernel pick a random one.</summary>
    public byte[]? MacAddress { get; init; }

    /// <summary>The index of the bridge to attach to (IFLA_MASTER); 0 for none.</summary>
    public int MasterIndex { get; init; }

    /// <summary>Brings the link up as it is created. Not for a veth's peer: the kernel brings the peer up before the
    /// pair is joined, and a veth without its peer refuses (ENOTCONN); bring it up afterwards.</summary>
    public bool Up { get; init; }

    /// <summary>An open network namespace file (IFLA_NET_NS_FD): the link is created directly inside it, never visible
    /// in the caller's namespace. Null creates it in the socket's namespace.</summary>
    public SafeHandle? Namespace { get; init; }
}

/// <summary>One link as the kernel lists it.</summary>
/// <param name="Kind">The link type's name ("bridge", "veth"…); null for a device without one (a physical NIC, lo).</param>
/// <param name="MasterIndex">The bridge it is attached to; 0 for none.</param>
public sealed record LinkEntry(int Index, string Name, string? Kind, int MasterIndex, int Mtu, bool Up, byte[]? MacAddress);
