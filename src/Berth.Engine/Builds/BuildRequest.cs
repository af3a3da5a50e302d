using Berth.Engine.Images;

namespace Berth.Engine.Builds;

/// <summary>
/// Docker's <c>POST /build</c> parameters (the legacy builder's): what to build from the context, how, and what to
/// tag the result. <see cref="BuildArgs"/> values may be null (a name given without a value). <see cref="Registries"/>
/// are the credentials of <c>X-Registry-Config</c>, by registry address; <see cref="CacheFrom"/> the images whose history
/// may serve as cache (<see cref="BuildCache"/>); <see cref="Remote"/> a context the daemon fetches (<see cref="RemoteContext"/>).
/// </summary>
public sealed record BuildRequest
{
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string Dockerfile { get; init; } = "Dockerfile";
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string? Target { get; init; }
    public bool NoCache { get; init; }
    public bool Pull { get; init; }
    public bool Remove { get; init; } = true;
    public bool ForceRemove { get; init; }
    public bool Quiet { get; init; }
    public string? NetworkMode { get; init; }
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    public long ShmSize { get; init; }
    public long Memory { get; init; }
    public string? Platform { get; init; }
    public IReadOnlyList<string> CacheFrom { get; init; } = [];
    public string? Remote { get; init; }
    public IReadOnlyDictionary<string, RegistryLogin> Registries { get; init; } = new Dictionary<string, RegistryLogin>();
}

/// <summary>Where a build reports: its text (Docker's <c>stream</c> lines) and, at the end, the image id (<c>aux</c>).</summary>
public interface IBuildOutput
{
    ValueTask WriteAsync(string text, CancellationToken cancellationToken);

    ValueTask ImageIdAsync(string imageId, CancellationToken cancellationToken);
}
