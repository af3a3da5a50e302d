using System.Text.Json.Serialization;

namespace Berth.Api.Models.Images;

/// <summary><c>DELETE /images/{name}</c> item: exactly one of the two is set.</summary>
public sealed class ImageDeleteResponseItem
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Untagged { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Deleted { get; set; }
}

/// <summary><c>GET /images/{name}/history</c> item, newest first. <c>Id</c> is <c>&lt;missing&gt;</c> for layers of pulled images.</summary>
public sealed class ImageHistoryResponseItem
{
    public string Id { get; set; } = "";
    public long Created { get; set; }
    public string CreatedBy { get; set; } = "";
    public List<string> Tags { get; set; } = [];
    public long Size { get; set; }
    public string Comment { get; set; } = "";
}

/// <summary><c>POST /images/prune</c>.</summary>
public sealed class ImagePruneResponse
{
    public List<ImageDeleteResponseItem> ImagesDeleted { get; set; } = [];
    public ulong SpaceReclaimed { get; set; }
}
