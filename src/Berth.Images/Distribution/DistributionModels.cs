using Berth.Distribution.Client;
using Berth.Oci.Image;

namespace Berth.Images;

/// <summary>What <c>docker pull</c> asks for.</summary>
public sealed record PullOptions
{
    /// <summary><c>os/arch[/variant]</c> picked from a manifest list or index (<c>--platform</c>).</summary>
    public string Platform { get; init; } = "linux/amd64";

    /// <summary>Decoded from <c>X-Registry-Auth</c>; null pulls anonymously (a Bearer registry may still issue a pull token).</summary>
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>Pull every tag of the repository (<c>--all-tags</c>); the reference must then have no tag or digest.</summary>
    public bool AllTags { get; init; }
}

/// <summary>What <c>docker push</c> asks for.</summary>
public sealed record PushOptions
{
    public RegistryCredentials? Credentials { get; init; }

    /// <summary>Push every local tag of the repository (<c>--all-tags</c>); the reference must then have no tag or digest.</summary>
    public bool AllTags { get; init; }
}

/// <summary>
/// One line of a pull's JSON progress stream as Docker writes it: <see cref="Id"/> is a layer's 12-hex short digest,
/// the tag (or digest) on <c>Pulling from …</c>, null on the overall lines; <see cref="Current"/>/<see cref="Total"/>
/// are bytes (the engine writes them as <c>progressDetail</c>).
/// </summary>
public sealed record PullProgress(string? Id, string Status, long? Current = null, long? Total = null)
{
    public override string ToString() => (Id is null ? "" : Id + ": ") + Status + (Current is null ? "" : $" {Current}/{Total}");
}

/// <summary>One line of a push's JSON progress stream; <see cref="Id"/> is a layer's 12-hex short diff id, or null.</summary>
public sealed record PushProgress(string? Id, string Status, long? Current = null, long? Total = null)
{
    public override string ToString() => (Id is null ? "" : Id + ": ") + Status + (Current is null ? "" : $" {Current}/{Total}");
}

/// <summary>What a push left on the registry: the tag (or digest) pushed, the manifest's digest and size in bytes.</summary>
public sealed record PushResult(string Tag, Digest Digest, long Size);
