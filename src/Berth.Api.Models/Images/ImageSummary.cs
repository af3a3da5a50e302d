using System.Text.Json.Serialization;

namespace Berth.Api.Models.Images;

/// <summary>
/// <c>GET /images/json</c> item. <c>Created</c> is Unix seconds; <c>SharedSize</c> and <c>Containers</c> are -1
/// unless computed; <c>VirtualSize</c> is gone at 1.44 and omitted unless set.
/// </summary>
public sealed class ImageSummary
{
    public string Id { get; set; } = "";
    public string ParentId { get; set; } = "";
    public List<string> RepoTags { get; set; } = [];
    public List<string> RepoDigests { get; set; } = [];
    public long Created { get; set; }
    public long Size { get; set; }
    public long SharedSize { get; set; } = -1;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? VirtualSize { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];
    public long Containers { get; set; } = -1;
}
