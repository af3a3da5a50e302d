using System.Text.Json;

namespace Berth.Engine.Containers.Oci;

/// <summary>Reading a profile in Docker's JSON format (the text of <c>--security-opt seccomp=profile.json</c>).</summary>
public static class DockerSeccompProfileJson
{
    public static DockerSeccompProfile Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new JsonException("the profile is not a JSON object");
            return new DockerSeccompProfile
            {
                DefaultAction = String(root, "defaultAction") ?? "",
                DefaultErrnoRet = UInt(root, "defaultErrnoRet"),
                Architectures = Strings(root, "architectures"),
                ArchMap = Array(root, "archMap", a => new SeccompArchMap(String(a, "architecture") ?? "", Strings(a, "subArchitectures") ?? [])),
                Flags = Strings(root, "flags"),
                Syscalls = Array(root, "syscalls", Rule),
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw DockerSeccompProfile.Invalid($"Decoding seccomp profile failed: {e.Message}");
        }
    }

    private static SeccompSyscallRule Rule(JsonElement e)
    {
        var name = String(e, "name");
        var names = Strings(e, "names");
        if (!string.IsNullOrEmpty(name))
        {
            if (names is { Count: > 0 }) throw DockerSeccompProfile.Invalid("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
            names = [name];
        }
        return new SeccompSyscallRule
        {
            Names = names ?? [], Action = String(e, "action") ?? "", ErrnoRet = UInt(e, "errnoRet"),
            Args = Array(e, "args", a => new SeccompArgument(UInt(a, "index") ?? 0, ULong(a, "value"), ULong(a, "valueTwo"), String(a, "op") ?? "")),
            Includes = Condition(e, "includes"),
            Excludes = Condition(e, "excludes"),
        };
    }

    private static SeccompCondition? Condition(JsonElement e, string name) =>
        Child(e, name) is { } c
            ? new SeccompCondition { Caps = Strings(c, "caps") ?? [], Arches = Strings(c, "arches") ?? [], MinKernel = MinKernel(String(c, "minKernel")) }
            : null;

    /// <summary>"&lt;kernel&gt;.&lt;major&gt;", both parts at most 255, not 0.0 (Docker's KernelVersion).</summary>
    private static KernelVersion? MinKernel(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var parts = text.Split('.', 3);
        if (parts.Length != 2 || !byte.TryParse(parts[0], out var kernel) || !byte.TryParse(parts[1], out var major) || (kernel == 0 && major == 0))
            throw new JsonException($"invalid kernel version: \"{text}\", expected \"<kernel>.<major>\"");
        return new KernelVersion(kernel, major);
    }

    private static JsonElement? Child(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static string? String(JsonElement e, string name) => Child(e, name)?.GetString();
    private static uint? UInt(JsonElement e, string name) => Child(e, name)?.GetUInt32();
    private static ulong ULong(JsonElement e, string name) => Child(e, name)?.GetUInt64() ?? 0;
    private static List<string>? Strings(JsonElement e, string name) => Child(e, name) is { } c ? [.. c.EnumerateArray().Select(s => s.GetString() ?? "")] : null;
    private static List<T> Array<T>(JsonElement e, string name, Func<JsonElement, T> read) => Child(e, name) is { } c ? [.. c.EnumerateArray().Select(read)] : [];
}
