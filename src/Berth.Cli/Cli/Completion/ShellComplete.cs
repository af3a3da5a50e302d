using Berth.Api.Client;

namespace Berth.Cli.Cli.Completion;

/// <summary>
/// cobra's hidden <c>__complete</c> / <c>__completeNoDesc</c> commands, which the scripts of <c>berth completion</c>
/// call on every TAB: the words typed so far, the last one being the word under the cursor (empty after a space).
/// Prints one candidate a line (<c>value\tdescription</c>), then <c>:directive</c>; on stderr, cobra's note of the
/// directive. Subcommands and flags come from the <see cref="CommandRegistry"/>; names from the daemon, and when
/// that fails, no candidates and the error directive: the shell shows nothing.
/// </summary>
internal static class ShellComplete
{
    public const string Command = "__complete";
    public const string CommandNoDescriptions = "__completeNoDesc";

    /// <summary>How long a completion waits for the daemon before giving up (a TAB must not hang the shell).</summary>
    private static readonly TimeSpan DaemonTimeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(IReadOnlyList<string> words, bool descriptions, CliConsole console,
        Func<DaemonEndpoint, IBerthClient> clientFactory, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DaemonTimeout);
        var result = await CompleteAsync(words, clientFactory, environment, timeout.Token).ConfigureAwait(false);
        foreach (var (value, description) in result.Candidates)
            await console.Out.WriteAsync(descriptions && description.Length > 0 ? $"{value}\t{description}\n" : value + "\n").ConfigureAwait(false);
        await console.Out.WriteAsync($":{(int)result.Directive}\n").ConfigureAwait(false);
        await console.Err.WriteAsync($"Completion ended with directive: {Directives.Describe(result.Directive)}\n").ConfigureAwait(false);
        return 0;
    }

    internal static async Task<CompletionResult> CompleteAsync(IReadOnlyList<string> words, Func<DaemonEndpoint, IBerthClient> clientFactory,
        Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var toComplete = words.Count > 0 ? words[^1] : "";
        var typed = words.Take(Math.Max(0, words.Count - 1)).ToList();

        var globals = new GlobalOptions();
        var rootFlags = new FlagSet { Interspersed = false };
        globals.Configure(rootFlags, environment);
        var root = FlagWalk.Run(rootFlags, typed, stopAtPositional: true);
        var sources = new Sources(globals, rootFlags, root.End, typed, clientFactory, environment);

        if (root.AwaitingValue is { } globalFlag)
            return await FlagValuesAsync(globalFlag, toComplete, sources, cancellationToken).ConfigureAwait(false);
        var rest = typed.Skip(root.End).ToList();
        if (rest.Count == 0)
        {
            return toComplete.StartsWith('-') && !root.DashDash
                ? FlagNames(rootFlags, root.Used, toComplete)
                : Filtered(TopLevelCommands(), toComplete, Directive.NoFileComp);
        }
        if (rest[0] == "help")
            return new CompletionResult([], Directive.Default);

        var (entry, consumed, group) = CommandRegistry.Find(rest);
        if (entry is null)
        {
            if (group is null || rest.Count > 1)
                return new CompletionResult([], Directive.NoFileComp);
            return Filtered(CommandRegistry.SubcommandsOf(group).Select(s => (s.Name, s.Entry.Short)), toComplete, Directive.NoFileComp);
        }

        var command = entry.Create();
        var flags = new FlagSet { Interspersed = command.Interspersed };
        command.Configure(flags);
        var walk = FlagWalk.Run(flags, rest.Skip(consumed).ToList(), stopAtPositional: !command.Interspersed);
        if (walk.AwaitingValue is { } flag)
            return await FlagValuesAsync(flag, toComplete, sources, cancellationToken).ConfigureAwait(false);
        var takesFlags = !walk.DashDash && (command.Interspersed || walk.Positional == 0);
        if (toComplete.StartsWith('-') && takesFlags)
        {
            var eq = toComplete.IndexOf('=');
            if (eq > 0 && toComplete.StartsWith("--", StringComparison.Ordinal) && FlagWalk.FindLong(flags, toComplete[2..eq]) is { } withValue)
                return await FlagValuesAsync(withValue, toComplete[(eq + 1)..], sources, cancellationToken).ConfigureAwait(false);
            return FlagNames(flags, walk.Used, toComplete);
        }
        if (walk.Positional >= command.Args.Max)
            return new CompletionResult([], Directive.NoFileComp);
        var kind = CompletionValues.ArgumentsOf(entry).At(walk.Positional);
        return await ValuesAsync(kind, toComplete, sources, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The root's commands as cobra lists them: every top-level command and group, and <c>help</c>, by name.</summary>
    private static IEnumerable<(string Name, string Description)> TopLevelCommands() =>
        CommandRegistry.Entries.Where(e => !e.Hidden).SelectMany(e => e.Paths.Where(p => !p.Contains(' ')).Take(1).Select(p => (p, e.Short)))
            .Concat(CommandRegistry.Groups.Where(g => !g.Hidden).Select(g => (g.Name, g.Short)))
            .Append(("help", "Help about the command"))
            .OrderBy(c => c.Item1, StringComparer.Ordinal);

    /// <summary>
    /// pflag's flags for cobra: not hidden, not already given (unless repeatable), <c>--long</c> then <c>-s</c> (the
    /// short form only when the word is not already <c>--</c>), sorted by name; the description is the usage's first line.
    /// </summary>
    private static CompletionResult FlagNames(FlagSet flags, IReadOnlySet<Flag> used, string toComplete)
    {
        var candidates = new List<(string, string)>();
        foreach (var flag in flags.Flags.Where(f => !f.Hidden && (!used.Contains(f) || f.Repeatable)).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var description = flag.Usage.Split('\n')[0];
            candidates.Add(("--" + flag.Name, description));
            if (flag.Shorthand is { } s && !toComplete.StartsWith("--", StringComparison.Ordinal))
                candidates.Add(("-" + s, description));
        }
        return Filtered(candidates, toComplete, Directive.NoFileComp);
    }

    private static async Task<CompletionResult> FlagValuesAsync(Flag flag, string toComplete, Sources sources, CancellationToken cancellationToken)
    {
        if (CompletionValues.FixedValuesOf(flag) is { } values)
            return Filtered(values.Select(v => (v, "")), toComplete, Directive.NoFileComp);
        return await ValuesAsync(CompletionValues.FlagValueKind(flag), toComplete, sources, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CompletionResult> ValuesAsync(ValueKind kind, string toComplete, Sources sources, CancellationToken cancellationToken)
    {
        if (kind == ValueKind.Files)
            return new CompletionResult([], Directive.Default);
        if (kind == ValueKind.None)
            return new CompletionResult([], Directive.NoFileComp);
        try
        {
            var daemon = await sources.DaemonAsync(cancellationToken).ConfigureAwait(false);
            var names = await CompletionValues.FetchAsync(kind, () => sources.Client(daemon), daemon.Store, cancellationToken).ConfigureAwait(false);
            return Filtered(names.Distinct(StringComparer.Ordinal).Select(n => (n, "")), toComplete, Directive.NoFileComp);
        }
        catch (Exception)
        {
            // An unreachable daemon, a broken context, a timeout: nothing to offer, and no file names instead.
            return new CompletionResult([], Directive.Error);
        }
    }

    private static CompletionResult Filtered(IEnumerable<(string Value, string Description)> candidates, string prefix, Directive directive) =>
        new(candidates.Where(c => c.Value.StartsWith(prefix, StringComparison.Ordinal)).ToList(), directive);

    /// <summary>The client and the context store, as the global flags typed so far select them; created on first use.</summary>
    private sealed class Sources(GlobalOptions globals, FlagSet rootFlags, int rootEnd, List<string> typed,
        Func<DaemonEndpoint, IBerthClient> clientFactory, Func<string, string?> environment)
    {
        private IBerthClient? _client;

        public IBerthClient Client(DaemonSelection daemon) =>
            _client ??= daemon.Conflict is { } conflict ? throw new InvalidOperationException(conflict) : clientFactory(daemon.Endpoint());

        public async Task<DaemonSelection> DaemonAsync(CancellationToken cancellationToken)
        {
            try
            {
                // The global flags typed before the command, applied for real now that a value is wanted.
                rootFlags.Parse(typed.Take(rootEnd).ToList());
            }
            catch (FlagException)
            {
            }
            var configDirectory = DockerConfigFile.DirectoryFor(globals.ConfigDirectory, environment);
            var config = await DockerConfigFile.LoadAsync(configDirectory, cancellationToken).ConfigureAwait(false);
            return new DaemonSelection(globals, environment, new ContextStore(configDirectory), config.CurrentContext);
        }
    }
}

/// <summary>The candidates and how the shell should treat them.</summary>
internal sealed record CompletionResult(IReadOnlyList<(string Value, string Description)> Candidates, Directive Directive);
