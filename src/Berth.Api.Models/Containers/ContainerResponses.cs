using System.Text.Json.Serialization;

namespace Berth.Api.Models.Containers;

/// <summary><c>POST /containers/{id}/wait</c>; <c>Error</c> only when the wait itself failed.</summary>
public sealed class ContainerWaitResponse
{
    public long StatusCode { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WaitExitError? Error { get; set; }
}

public sealed class WaitExitError
{
    public string Message { get; set; } = "";
}

/// <summary><c>GET /containers/{id}/top</c>: <c>ps</c> columns and one row of strings per process.</summary>
public sealed class ContainerTopResponse
{
    public List<string> Titles { get; set; } = [];
    public List<List<string>> Processes { get; set; } = [];
}

/// <summary><c>POST /containers/prune</c>.</summary>
public sealed class ContainerPruneResponse
{
    public List<string> ContainersDeleted { get; set; } = [];
    public ulong SpaceReclaimed { get; set; }
}

/// <summary><c>POST /containers/{id}/update</c>.</summary>
public sealed class ContainerUpdateResponse
{
    public List<string> Warnings { get; set; } = [];
}
