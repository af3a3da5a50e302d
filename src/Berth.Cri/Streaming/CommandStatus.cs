using System.Text;
using System.Text.Json;

namespace Berth.Cri.Streaming;

/// <summary>
/// How an exec or attach ended, as kubelet reports it on the error stream: from v4 a Kubernetes <c>Status</c> in
/// JSON (a non-zero exit is reason <c>NonZeroExitCode</c> with an <c>ExitCode</c> cause, which clients turn into
/// their own exit code); before v4 only a failure's message, as text.
/// </summary>
internal sealed record CommandStatus(bool Success, string Message = "", string Reason = "", int? ExitCode = null, int? Code = null)
{
    public static readonly CommandStatus Succeeded = new(true);

    /// <summary>kubelet's words, with the exit error's text as containerd words it.</summary>
    public static CommandStatus Exited(IReadOnlyList<string> command, int exitCode) => exitCode == 0 ? Succeeded
        : new(false, $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}",
            "NonZeroExitCode", exitCode);

    public static CommandStatus Failed(string message) => new(false, message, "InternalError", Code: 500);

    public byte[] ToText() => Success ? [] : Encoding.UTF8.GetBytes(Message);

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteEndObject();
            json.WriteString("status", Success ? "Success" : "Failure");
            if (!Success)
            {
                json.WriteString("message", Message);
                json.WriteString("reason", Reason);
                json.WriteStartObject("details");
                json.WriteStartArray("causes");
                json.WriteStartObject();
                if (ExitCode is { } exit)
                {
                    json.WriteString("reason", "ExitCode");
                    json.WriteString("message", exit.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                else json.WriteString("message", Message);
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                if (Code is { } code) json.WriteNumber("code", code);
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
