using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Runtime.Containers;

/// <summary>One line of an OCI runtime's <c>--log-format json</c> log: <c>{"level":"error","msg":"…","time":"…"}</c> (runc and crun alike).</summary>
internal static class RuntimeLogLine
{
    /// <summary>The message of an error line; null for other levels and for lines that are not such JSON.</summary>
    public static string? ErrorMessage(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, RuntimeJsonContext.Default.RuntimeLogEntry) is { Level: "error", Msg: { Length: > 0 } msg } ? msg : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal sealed record RuntimeLogEntry(string? Level, string? Msg);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RuntimeLogEntry))]
[JsonSerializable(typeof(List<int>))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
