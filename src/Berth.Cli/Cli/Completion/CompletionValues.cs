using Berth.Api.Client;

namespace Berth.Cli.Cli.Completion;

/// <summary>What a positional argument or a flag value completes to.</summary>
internal enum ValueKind
{
    /// <summary>Nothing: the shell offers no files either (cobra's <c>NoComplete</c>).</summary>
    None,

    /// <summary>Nothing of ours: the shell completes file names.</summary>
    Files,
    AllContainers,
    RunningContainers,
    StoppedContainers,
    PausedContainers,
    Images,
    Networks,
    Contexts,
    ContainersAndImages,
}

/// <summary>
/// The kinds of a command's positional arguments, by position; past the end, <see cref="Rest"/> for every further
/// argument (the command's <see cref="ArgsRule"/> still caps how many there are).
/// </summary>
internal sealed record ArgCompletion(ValueKind[] Positions, ValueKind Rest = ValueKind.None)
{
    public ValueKind At(int index) => index < Positions.Length ? Positions[index] : Rest;

    public static ArgCompletion Each(ValueKind kind) => new([], kind);
}

/// <summary>
/// Which values each command's arguments and flags complete to, keyed by the command's first path
/// (docker's <c>ValidArgsFunction</c>s and <c>RegisterFlagCompletionFunc</c>s, for the commands Berth has), and how
/// they are fetched. Daemon lookups list what <c>ps -a</c>, <c>images</c> and <c>network ls</c> would.
/// </summary>
internal static class CompletionValues
{
    private static readonly Dictionary<string, ArgCompletion> Arguments = new(StringComparer.Ordinal)
    {
        ["attach"] = new([ValueKind.RunningContainers]),
        ["exec"] = new([ValueKind.RunningContainers]),
        ["kill"] = ArgCompletion.Each(ValueKind.RunningContainers),
        ["pause"] = ArgCompletion.Each(ValueKind.RunningContainers),
        ["stop"] = ArgCompletion.Each(ValueKind.RunningContainers),
        ["stats"] = ArgCompletion.Each(ValueKind.RunningContainers),
        ["top"] = new([ValueKind.RunningContainers]),
        ["unpause"] = ArgCompletion.Each(ValueKind.PausedContainers),
        ["start"] = ArgCompletion.Each(ValueKind.StoppedContainers),
        ["rm"] = ArgCompletion.Each(ValueKind.AllContainers),
        ["restart"] = ArgCompletion.Each(ValueKind.AllContainers),
        ["wait"] = ArgCompletion.Each(ValueKind.AllContainers),
        ["update"] = ArgCompletion.Each(ValueKind.AllContainers),
        ["container inspect"] = ArgCompletion.Each(ValueKind.AllContainers),
        ["logs"] = new([ValueKind.AllContainers]),
        ["port"] = new([ValueKind.AllContainers]),
        ["rename"] = new([ValueKind.AllContainers]),
        ["run"] = new([ValueKind.Images]),
        ["create"] = new([ValueKind.Images]),
        ["rmi"] = ArgCompletion.Each(ValueKind.Images),
        ["history"] = new([ValueKind.Images]),
        ["push"] = new([ValueKind.Images]),
        ["save"] = ArgCompletion.Each(ValueKind.Images),
        ["tag"] = new([ValueKind.Images]),
        ["image inspect"] = ArgCompletion.Each(ValueKind.Images),
        ["inspect"] = ArgCompletion.Each(ValueKind.ContainersAndImages),
        ["import"] = new([ValueKind.Files]),
        ["network connect"] = new([ValueKind.Networks, ValueKind.AllContainers]),
        ["network disconnect"] = new([ValueKind.Networks, ValueKind.AllContainers]),
        ["network inspect"] = ArgCompletion.Each(ValueKind.Networks),
        ["network rm"] = ArgCompletion.Each(ValueKind.Networks),
        ["context use"] = new([ValueKind.Contexts]),
        ["context inspect"] = ArgCompletion.Each(ValueKind.Contexts),
        ["context rm"] = ArgCompletion.Each(ValueKind.Contexts),
    };

    /// <summary>Flags whose values are a fixed list, by flag name (the same meaning under every command that has them).</summary>
    private static readonly Dictionary<string, string[]> FixedFlagValues = new(StringComparer.Ordinal)
    {
        ["log-level"] = ["debug", "info", "warn", "error", "fatal", "panic"],
        ["restart"] = ["no", "always", "on-failure", "unless-stopped"],
        ["pull"] = ["always", "missing", "never"],
    };

    /// <summary>Flags whose values are names the daemon or the context store knows.</summary>
    private static readonly Dictionary<string, ValueKind> NamedFlagValues = new(StringComparer.Ordinal)
    {
        ["context"] = ValueKind.Contexts,
        ["network"] = ValueKind.Networks,
    };

    /// <summary>Nothing completes for commands not listed: cobra's <c>NoComplete</c>, which most docker commands set.</summary>
    public static ArgCompletion ArgumentsOf(CommandEntry entry) =>
        Arguments.GetValueOrDefault(entry.Paths[0]) ?? new ArgCompletion([]);

    public static string[]? FixedValuesOf(Flag flag) => FixedFlagValues.GetValueOrDefault(flag.Name);

    public static ValueKind FlagValueKind(Flag flag) => NamedFlagValues.GetValueOrDefault(flag.Name, ValueKind.Files);

    /// <summary>The names of <paramref name="kind"/>; containers by every name they have, images by their tags.</summary>
    public static async Task<IEnumerable<string>> FetchAsync(ValueKind kind, Func<IBerthClient> client, ContextStore contexts,
        CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case ValueKind.Contexts:
                return new[] { ContextStore.DefaultName }.Concat(contexts.List().Select(c => c.Name).Order(StringComparer.Ordinal));
            case ValueKind.Networks:
                return (await client().NetworkListAsync(null, cancellationToken).ConfigureAwait(false)).Select(n => n.Name);
            case ValueKind.Images:
                return await ImageNamesAsync(client(), cancellationToken).ConfigureAwait(false);
            case ValueKind.ContainersAndImages:
                var containers = await ContainerNamesAsync(client(), _ => true, cancellationToken).ConfigureAwait(false);
                return containers.Concat(await ImageNamesAsync(client(), cancellationToken).ConfigureAwait(false));
            case ValueKind.AllContainers or ValueKind.RunningContainers or ValueKind.StoppedContainers or ValueKind.PausedContainers:
                return await ContainerNamesAsync(client(), StateFilter(kind), cancellationToken).ConfigureAwait(false);
            default:
                return [];
        }
    }

    private static Func<string, bool> StateFilter(ValueKind kind) => kind switch
    {
        ValueKind.RunningContainers => state => state == "running",
        ValueKind.StoppedContainers => state => state is not ("running" or "paused" or "restarting"),
        ValueKind.PausedContainers => state => state == "paused",
        _ => _ => true,
    };

    private static async Task<IEnumerable<string>> ContainerNamesAsync(IBerthClient client, Func<string, bool> state, CancellationToken cancellationToken)
    {
        var containers = await client.ContainerListAsync(new ContainerListOptions { All = true }, cancellationToken).ConfigureAwait(false);
        return containers.Where(c => state(c.State)).SelectMany(c => c.Names).Select(Formatting.Text.StripSlash);
    }

    private static async Task<IEnumerable<string>> ImageNamesAsync(IBerthClient client, CancellationToken cancellationToken)
    {
        var images = await client.ImageListAsync(new ImageListOptions(), cancellationToken).ConfigureAwait(false);
        return images.SelectMany(i => i.RepoTags).Where(t => t != "<none>:<none>");
    }
}
