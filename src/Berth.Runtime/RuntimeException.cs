namespace Berth.Runtime;

/// <summary>A runtime command failed for a reason the user can act on; its message is printed as is.</summary>
public class RuntimeException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class ContainerNotFoundException(string id) : RuntimeException($"container does not exist: {id}")
{
    public string Id { get; } = id;
}
