using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Ports;

/// <summary>
/// The daemon's book of host ports its mappings hold, per protocol and address, as moby's port allocator keeps it:
/// a port held on 0.0.0.0 is taken on every IPv4 address and one held on an address is taken for 0.0.0.0 too (the
/// same for IPv6 and ::). Ports picked for the user come from the kernel's ephemeral range
/// (<c>/proc/sys/net/ipv4/ip_local_port_range</c>) less the ports the kernel reserves, in turn after the last one
/// given, so that a port just released is not handed out again at once. The book says what this daemon holds; whether
/// another process holds the port is only learnt by binding it (<see cref="PortProxy"/>). Thread-safe.
/// </summary>
public sealed class HostPortAllocator
{
    /// <summary>moby's fallback when the kernel's range cannot be read.</summary>
    private const int FallbackFirst = 49153, FallbackLast = 65535;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Protocol, IPAddress Address), HashSet<int>> _held = [];
    private readonly Dictionary<string, int> _lastPicked = [];
    private readonly HashSet<int> _kernelReserved;

    public HostPortAllocator(int first, int last, IEnumerable<int>? kernelReserved = null)
    {
        if (first < 1 || last > 65535 || last < first) throw new ArgumentOutOfRangeException(nameof(first), $"invalid port range: {first}-{last}");
        (First, Last) = (first, last);
        _kernelReserved = [.. kernelReserved ?? []];
    }

    /// <summary>The first port of the range random ports come from.</summary>
    public int First { get; }

    /// <summary>The last port of the range random ports come from.</summary>
    public int Last { get; }

    /// <summary>An allocator over the kernel's ephemeral range, read under <paramref name="procSysNetIpv4"/>.</summary>
    public static HostPortAllocator FromKernel(string procSysNetIpv4 = "/proc/sys/net/ipv4")
    {
        var (first, last) = ReadRange(Path.Combine(procSysNetIpv4, "ip_local_port_range"));
        var reserved = ReadReserved(Path.Combine(procSysNetIpv4, "ip_local_reserved_ports"), first, last);
        return new HostPortAllocator(first, last, reserved);
    }

    /// <summary>
    /// Takes a port for <paramref name="address"/>: <paramref name="first"/> = <paramref name="last"/> = 0 picks one of
    /// the ephemeral range, <paramref name="first"/> = <paramref name="last"/> takes that one, otherwise the first free
    /// one in turn in [first, last]. Throws <see cref="PortBindException"/> with Docker's text when it is taken.
    /// </summary>
    public int Reserve(string protocol, IPAddress address, int first, int last)
    {
        if (first > last || (first == 0) != (last == 0) || last > 65535) throw new ArgumentOutOfRangeException(nameof(first), $"invalid port range: {first}-{last}");
        lock (_lock)
        {
            if (first != 0 && first == last)
            {
                var holder = Holder(protocol, address, first);
                if (holder is not null) throw PortBindException.AlreadyAllocated(holder.ToString(), first);
                Take(protocol, address, first);
                return first;
            }
            var ephemeral = first == 0;
            var (begin, end) = ephemeral ? (First, Last) : (first, last);
            var key = $"{protocol} {begin}-{end}";
            var port = _lastPicked.GetValueOrDefault(key, end);
            for (var tries = end - begin + 1; tries > 0; tries--)
            {
                port = port >= end ? begin : port + 1;
                if (ephemeral && _kernelReserved.Contains(port)) continue;
                if (Holder(protocol, address, port) is not null) continue;
                Take(protocol, address, port);
                _lastPicked[key] = port;
                return port;
            }
            throw PortBindException.AllAllocated();
        }
    }

    /// <summary>Gives a port back; releasing one not held is a no-op.</summary>
    public void Release(string protocol, IPAddress address, int port)
    {
        lock (_lock)
        {
            if (_held.TryGetValue((protocol, Normalize(address)), out var ports)) ports.Remove(port);
        }
    }

    /// <summary>The address whose holding of <paramref name="port"/> conflicts with <paramref name="address"/>, if any.</summary>
    private IPAddress? Holder(string protocol, IPAddress address, int port)
    {
        address = Normalize(address);
        var any = Any(address.AddressFamily);
        foreach (var ((heldProtocol, heldAddress), ports) in _held)
        {
            if (heldProtocol != protocol || heldAddress.AddressFamily != address.AddressFamily || !ports.Contains(port)) continue;
            if (address.Equals(any) || heldAddress.Equals(any) || heldAddress.Equals(address)) return heldAddress;
        }
        return null;
    }

    private void Take(string protocol, IPAddress address, int port)
    {
        var key = (protocol, Normalize(address));
        if (!_held.TryGetValue(key, out var ports)) _held[key] = ports = [];
        ports.Add(port);
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPAddress Any(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;

    private static (int First, int Last) ReadRange(string path)
    {
        try
        {
            var fields = File.ReadAllText(path).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && int.TryParse(fields[0], CultureInfo.InvariantCulture, out var first)
                && int.TryParse(fields[1], CultureInfo.InvariantCulture, out var last) && first >= 1 && last <= 65535 && first <= last)
                return (first, last);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return (FallbackFirst, FallbackLast);
    }

    /// <summary>The kernel's list ("8080,30000-32767"), kept within the range; unreadable or malformed means none (as moby).</summary>
    internal static HashSet<int> ParseReserved(string list, int first, int last)
    {
        var reserved = new HashSet<int>();
        foreach (var entry in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (from, to) = entry.Split('-') switch
            {
                [var one] => (ParsePort(one), ParsePort(one)),
                [var a, var b] => (ParsePort(a), ParsePort(b)),
                _ => (-1, -1),
            };
            if (from < 0 || to < from) return [];
            for (var port = Math.Max(from, first); port <= Math.Min(to, last); port++) reserved.Add(port);
        }
        return reserved;
    }

    private static HashSet<int> ReadReserved(string path, int first, int last)
    {
        try
        {
            return ParseReserved(File.ReadAllText(path), first, last);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static int ParsePort(string text) =>
        ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : -1;
}
