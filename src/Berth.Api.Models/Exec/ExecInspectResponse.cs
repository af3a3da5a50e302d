using System.Text.Json.Serialization;

namespace Berth.Api.Models.Exec;

/// <summary>
/// <c>GET /exec/{id}/json</c>. <c>ExitCode</c> is null while the process runs; it must already be set when the
/// hijacked stream ends (the CLI reads it right after EOF).
/// </summary>
public sealed class ExecInspectResponse
{
    public bool CanRemove { get; set; }
    public string DetachKeys { get; set; } = "";
    public string ID { get; set; } = "";
    public bool Running { get; set; }
    public int? ExitCode { get; set; }
    public ExecProcessConfig ProcessConfig { get; set; } = new();
    public bool OpenStdin { get; set; }
    public bool OpenStderr { get; set; }
    public bool OpenStdout { get; set; }
    public string ContainerID { get; set; } = "";
    public int Pid { get; set; }
}

/// <summary>The exec's process; Docker spells these in lower case.</summary>
public sealed class ExecProcessConfig
{
    [JsonPropertyName("privileged")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Privileged { get; set; }

    [JsonPropertyName("user")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; set; }

    [JsonPropertyName("tty")] public bool Tty { get; set; }
    [JsonPropertyName("entrypoint")] public string Entrypoint { get; set; } = "";
    [JsonPropertyName("arguments")] public List<string> Arguments { get; set; } = [];
}
