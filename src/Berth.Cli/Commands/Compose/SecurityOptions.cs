using System.Text.Json;
using Berth.Compose;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>security_opt</c> as compose v2 sends it: <c>seccomp=&lt;file&gt;</c> (relative to the project directory)
/// becomes the profile's compact JSON, as the docker CLI does for <c>--security-opt</c>; <c>systempaths=unconfined</c>
/// is taken out and reported, for the caller to clear the masked and read-only paths.
/// </summary>
internal static class SecurityOptions
{
    /// <exception cref="ComposeException">An option without a value, or a seccomp profile that cannot be read.</exception>
    public static (List<string> Options, bool Unconfined) Parse(ComposeProject project, IReadOnlyList<string> options)
    {
        var parsed = new List<string>();
        var unconfined = false;
        foreach (var option in options)
        {
            if (option == "systempaths=unconfined")
            {
                unconfined = true;
                continue;
            }
            var separator = option.Contains('=') ? '=' : ':';
            var parts = option.Split(separator, 2);
            if (parts.Length == 1 && option != "no-new-privileges")
                throw new ComposeException($"invalid security-opt: \"{option}\"");
            parsed.Add(parts[0] == "seccomp" && parts[1] is not ("unconfined" or "builtin")
                ? "seccomp=" + Profile(project, parts[1])
                : option);
        }
        return (parsed, unconfined);
    }

    private static string Profile(ComposeProject project, string path)
    {
        var file = Path.GetFullPath(path, project.WorkingDirectory);
        if (!File.Exists(file))
            throw new ComposeException($"opening seccomp profile ({path}) failed: open {file}: no such file or directory");
        var bytes = File.ReadAllBytes(file);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
                document.WriteTo(writer);
            return global::System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException e)
        {
            throw new ComposeException($"compacting json for seccomp profile ({path}) failed: {e.Message}");
        }
    }
}
