namespace Berth.Network.Ports;

/// <summary>
/// A host port that cannot be published, with Docker's words for why. The engine wraps the message as Docker does:
/// <c>driver failed programming external connectivity on endpoint NAME (ID): MESSAGE</c>.
/// </summary>
public sealed class PortBindException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Held by another mapping of this daemon (moby's port allocator's text).</summary>
    internal static PortBindException AlreadyAllocated(string address, int port) => new($"Bind for {address}:{port} failed: port is already allocated");

    /// <summary>No free port left in the range asked for (moby's text).</summary>
    internal static PortBindException AllAllocated() => new("all ports are allocated");
}
