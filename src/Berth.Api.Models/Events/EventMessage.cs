using System.Text.Json.Serialization;

namespace Berth.Api.Models.Events;

/// <summary>
/// One <c>GET /events</c> line. At API ≤ 1.44 container and image events also carry the legacy lower-case
/// <c>status</c>/<c>id</c>/<c>from</c> (compose reads them); other types omit them.
/// </summary>
public sealed class EventMessage
{
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; set; }

    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; set; }

    [JsonPropertyName("from")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? From { get; set; }

    /// <summary><c>container</c>, <c>image</c>, <c>network</c>, <c>volume</c>, <c>daemon</c>…</summary>
    public string Type { get; set; } = "";

    /// <summary>Docker's action names: <c>create</c>, <c>start</c>, <c>die</c>, <c>health_status: healthy</c>…</summary>
    public string Action { get; set; } = "";

    public EventActor Actor { get; set; } = new();

    [JsonPropertyName("scope")] public string Scope { get; set; } = "local";
    [JsonPropertyName("time")] public long Time { get; set; }
    [JsonPropertyName("timeNano")] public long TimeNano { get; set; }
}

public sealed class EventActor
{
    public string ID { get; set; } = "";
    public Dictionary<string, string> Attributes { get; set; } = [];
}
