namespace Berth.Engine.Containers.Oci;

/// <summary>HostConfig.NetworkMode read as Docker reads it: <c>none</c>, <c>host</c>, <c>container:&lt;id&gt;</c>, or a network's name.</summary>
public readonly record struct NetworkMode(string Value)
{
    private const string ContainerPrefix = "container:";

    public static NetworkMode Parse(string? value) => new(string.IsNullOrEmpty(value) ? "default" : value);

    public bool IsNone => Value == "none";
    public bool IsHost => Value == "host";
    public bool IsContainer => Value.StartsWith(ContainerPrefix, StringComparison.Ordinal);

    /// <summary>The container gets a network namespace of its own (Docker's IsPrivate: neither host nor container:).</summary>
    public bool IsPrivate => !IsHost && !IsContainer;

    /// <summary>The name or ID after <c>container:</c>.</summary>
    public string? ConnectedContainer => IsContainer ? Value[ContainerPrefix.Length..] : null;
}
