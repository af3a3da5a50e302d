using System.Text.Json;
using Berth.Oci;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Cli.Commands;

/// <summary><c>spec [--bundle DIR]</c>: writes runc's default config.json (a shell on a read-only busybox-style rootfs).</summary>
public static class SpecCommand
{
    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args, Flag.Value("bundle", "b"), Flag.Bool("rootless"));
        if (parsed.Has("rootless")) throw new RuntimeException("rootless specs are not supported yet");
        var path = Path.Combine(parsed.Get("bundle") ?? ".", "config.json");
        if (File.Exists(path)) throw new RuntimeException("File config.json exists. Remove it first");
        File.WriteAllText(path, JsonSerializer.Serialize(DefaultSpec.Create(), OciJsonContext.Default.Spec) + "\n");
        return 0;
    }
}
