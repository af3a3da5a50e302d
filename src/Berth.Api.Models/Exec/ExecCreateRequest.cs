using System.Text.Json.Serialization;
using Berth.Api.Models.Containers;

namespace Berth.Api.Models.Exec;

/// <summary><c>POST /containers/{id}/exec</c> body (docker-py sends <c>detachKeys</c>: names are read case-insensitively).</summary>
public sealed class ExecCreateRequest
{
    public bool AttachStdin { get; set; }
    public bool AttachStdout { get; set; }
    public bool AttachStderr { get; set; }

    /// <summary>Initial TTY size <c>[height, width]</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint[]? ConsoleSize { get; set; }

    public string DetachKeys { get; set; } = "";
    public bool Tty { get; set; }
    public List<string>? Env { get; set; }

    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? Cmd { get; set; }

    public bool Privileged { get; set; }
    public string User { get; set; } = "";
    public string WorkingDir { get; set; } = "";
}

/// <summary><c>201</c> from exec create.</summary>
public sealed class ExecCreateResponse
{
    public string Id { get; set; } = "";
}

/// <summary><c>POST /exec/{id}/start</c> body; sent together with <c>Connection: Upgrade</c> unless <c>Detach</c>.</summary>
public sealed class ExecStartRequest
{
    public bool Detach { get; set; }
    public bool Tty { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public uint[]? ConsoleSize { get; set; }
}
