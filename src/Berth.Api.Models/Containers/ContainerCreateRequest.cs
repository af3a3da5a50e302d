namespace Berth.Api.Models.Containers;

/// <summary>
/// <c>POST /containers/create</c> body: <see cref="ContainerConfig"/>'s fields at the top level, plus
/// <c>HostConfig</c> and <c>NetworkingConfig</c> (Go embeds Config in the create body).
/// </summary>
public sealed class ContainerCreateRequest : ContainerConfig
{
    public HostConfig? HostConfig { get; set; }
    public NetworkingConfig? NetworkingConfig { get; set; }
}

/// <summary><c>201</c> from <c>POST /containers/create</c>.</summary>
public sealed class ContainerCreateResponse
{
    public string Id { get; set; } = "";
    public List<string> Warnings { get; set; } = [];
}
