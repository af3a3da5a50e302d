using Berth.Oci.Image;

namespace Berth.Build;

/// <summary>
/// Where a stage's build is: the image so far (null: nothing yet, <c>FROM scratch</c>), its config (a copy, changed
/// step by step), whether this stage set CMD (an ENTRYPOINT then keeps it), the MAINTAINER, and the stage's build args.
/// </summary>
public sealed class StageState(string? imageId, ImageRuntimeConfig config, BuildArgs.Scope args)
{
    public string? ImageId { get; set; } = imageId;
    public ImageRuntimeConfig Config { get; set; } = config;
    public bool CmdSet { get; set; }
    public string? Author { get; set; }
    public BuildArgs.Scope Args { get; } = args;

    /// <summary>The variables instructions expand with: the stage's args, overridden by its ENV (Docker's rule).</summary>
    public Dictionary<string, string> Variables()
    {
        var variables = new Dictionary<string, string>(Args.Values, StringComparer.Ordinal);
        foreach (var entry in Config.Env ?? [])
        {
            var eq = entry.IndexOf('=');
            if (eq > 0) variables[entry[..eq]] = entry[(eq + 1)..];
        }
        return variables;
    }

    /// <summary>The names the config's ENV sets.</summary>
    public HashSet<string> EnvNames() =>
        [.. (Config.Env ?? []).Select(e => e.IndexOf('=') is var eq and > 0 ? e[..eq] : e)];
}
