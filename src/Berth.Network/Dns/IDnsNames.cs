using System.Net;

namespace Berth.Network.Dns;

/// <summary>
/// The container names one container may resolve, as the engine knows them (its networks' containers, their
/// aliases). Consumed by <see cref="EmbeddedDns"/>, called on every query, from any thread, concurrently: answer from
/// memory, never block.
/// </summary>
public interface IDnsNames
{
    /// <summary>
    /// The addresses of <paramref name="name"/> (lower case, without a trailing dot), or null when it is no container
    /// name (the query then goes to the upstream servers). IPv4 addresses answer A queries and IPv6 ones AAAA
    /// queries; a known name without an address of the family asked gets an empty NOERROR answer, as Docker's.
    /// </summary>
    IReadOnlyList<IPAddress>? ResolveA(string name);

    /// <summary>The container name owning <paramref name="address"/> (for PTR), or null to ask the upstream servers.</summary>
    string? ResolvePtr(IPAddress address);
}
