using Berth.Api.Client;
using Berth.Cli.Cli.Completion;

namespace Berth.Cli.Cli;

/// <summary>
/// <c>berth [global options] COMMAND [options] [args]</c>: parses the global flags, finds the command (top level or
/// under <c>container</c>/<c>image</c>/<c>system</c>), parses its flags and runs it; maps failures to docker's
/// messages and exit codes (flag errors 125, others 1, <see cref="StatusException"/> its own).
/// </summary>
internal static class CommandLine
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, Func<DaemonEndpoint, IBerthClient> clientFactory,
        Func<string, string?> environment, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var globals = new GlobalOptions();
        var rootFlags = new FlagSet { Interspersed = false };
        globals.Configure(rootFlags, environment);
        List<string> rest;
        try
        {
            rest = rootFlags.Parse(args);
        }
        catch (FlagException e)
        {
            console.Err.WriteLine(UsageError(e.Message, HelpText.RootUseLine, "berth"));
            return 125;
        }
        if (rest.Count > 0 && rest[0] is ShellComplete.Command or ShellComplete.CommandNoDescriptions)
            return await ShellComplete.RunAsync(rest.Skip(1).ToList(), rest[0] == ShellComplete.Command, console, clientFactory, environment,
                cancellationToken).ConfigureAwait(false);
        if (globals.ShowVersion)
        {
            console.Out.WriteLine($"Berth version {BuildInfo.Version}, build {BuildInfo.GitCommit}");
            return 0;
        }
        if (globals.Help || rest is ["help"])
        {
            HelpText.WriteRoot(console.Out, rootFlags, HelpWidth(console));
            return 0;
        }
        if (rest.Count == 0)
        {
            // docker answers a bare command with its help on stderr.
            HelpText.WriteRoot(console.Err, rootFlags, HelpWidth(console));
            return 0;
        }
        if (rest[0] == "help")
            return Help(console, rest.Skip(1).ToList());

        var (entry, consumed, group) = CommandRegistry.Find(rest);
        if (entry is null)
            return group is null ? UnknownCommand(console, rest[0]) : GroupWithoutCommand(console, group, rest.Skip(1).ToList());

        var command = entry.Create();
        var commandPath = "berth " + string.Join(' ', rest.Take(consumed));
        var configDirectory = DockerConfigFile.DirectoryFor(globals.ConfigDirectory, environment);
        var config = await DockerConfigFile.LoadAsync(configDirectory, cancellationToken).ConfigureAwait(false);
        var daemon = new DaemonSelection(globals, environment, new ContextStore(configDirectory), config.CurrentContext);
        if (daemon.Conflict is { } conflict)
        {
            console.Err.WriteLine(conflict);
            return 1;
        }
        var context = new CliContext(console, () => clientFactory(daemon.Endpoint()), environment, clock)
        {
            CommandPath = commandPath,
            ConfigDirectory = configDirectory,
            Config = config,
            Daemon = daemon,
        };
        return await RunCommandAsync(command, context, entry, rest.Skip(consumed).ToList(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RunCommandAsync(CliCommand command, CliContext context, CommandEntry entry, List<string> args,
        CancellationToken cancellationToken)
    {
        var flags = CommandFlags(command, out var help);
        var useLine = HelpText.UseLine(context.CommandPath, command);
        List<string> positional;
        try
        {
            positional = flags.Parse(args);
        }
        catch (FlagException e)
        {
            context.Err.WriteLine(UsageError(e.Message, useLine, context.CommandPath));
            return 125;
        }
        if (help())
        {
            HelpText.WriteCommand(context.Out, context.CommandPath, command, flags, entry, HelpWidth(context.Console));
            return 0;
        }
        if (command.Args.Check(context.CommandPath, useLine, positional.Count) is { } argsError)
        {
            context.Err.WriteLine(argsError);
            return 1;
        }
        if (UnsupportedFlags(flags) is { } unsupported)
        {
            context.Err.WriteLine(unsupported);
            return 1;
        }
        try
        {
            return await command.RunAsync(context, positional, cancellationToken).ConfigureAwait(false);
        }
        catch (StatusException e)
        {
            if (e.Message.Length > 0)
                context.Err.WriteLine(e.Message);
            return e.ExitCode;
        }
        catch (FlagException e)
        {
            context.Err.WriteLine(UsageError(e.Message, useLine, context.CommandPath));
            return 125;
        }
        catch (Exception e) when (Errors.IsBrokenPipe(e))
        {
            return Errors.BrokenPipeExitCode;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            context.Err.WriteLine(Errors.Describe(e));
            return 1;
        }
    }

    /// <summary>
    /// The command's flags with docker's hidden <c>-h/--help</c>; where the command has its own <c>-h</c> (run and
    /// create: <c>--hostname</c>) a <c>--help</c> that help lists, as those commands declare it in docker.
    /// </summary>
    private static FlagSet CommandFlags(CliCommand command, out Func<bool> help)
    {
        var flags = new FlagSet { Interspersed = command.Interspersed };
        var asked = false;
        command.Configure(flags);
        var helpShort = flags.Flags.Any(f => f.Shorthand == 'h') ? (char?)null : 'h';
        flags.Bool("help", helpShort, "Print usage", v => asked = v, hidden: helpShort is not null);
        help = () => asked;
        return flags;
    }

    /// <summary>docker's refusal of the flags its daemon does not support, all of them given, in name order; null when none.</summary>
    private static string? UnsupportedFlags(FlagSet flags)
    {
        var refused = flags.Flags.Where(f => f.Changed && f.Unsupported is not null).OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => $"\"--{f.Name}\" {f.Unsupported}").ToList();
        return refused.Count > 0 ? string.Join('\n', refused) : null;
    }

    /// <summary><c>berth help [COMMAND...]</c>: the help of a command or group on stdout.</summary>
    private static int Help(CliConsole console, List<string> topic)
    {
        var (entry, consumed, group) = CommandRegistry.Find(topic);
        if (entry is not null && consumed == topic.Count)
        {
            var command = entry.Create();
            var flags = CommandFlags(command, out _);
            HelpText.WriteCommand(console.Out, "berth " + string.Join(' ', topic), command, flags, entry, HelpWidth(console));
            return 0;
        }
        if (group is not null && topic.Count == 1)
        {
            HelpText.WriteGroup(console.Out, group);
            return 0;
        }
        console.Err.WriteLine($"unknown help topic: {string.Join(' ', topic)}");
        return 1;
    }

    private static int UnknownCommand(CliConsole console, string name)
    {
        console.Err.WriteLine($"berth: unknown command: berth {name}\n\nRun 'berth --help' for more information");
        return 1;
    }

    /// <summary>
    /// <c>berth container</c> alone prints the group's help on stderr, <c>--help</c> on stdout; anything else is
    /// docker's unknown command or unknown flag.
    /// </summary>
    private static int GroupWithoutCommand(CliConsole console, CommandGroup group, List<string> args)
    {
        var path = "berth " + group.Name;
        if (args.Count == 0)
        {
            HelpText.WriteGroup(console.Err, group);
            return 0;
        }
        var help = false;
        var flags = new FlagSet { Interspersed = false };
        flags.Bool("help", 'h', "Print usage", v => help = v, hidden: true);
        List<string> positional;
        try
        {
            positional = flags.Parse(args);
        }
        catch (FlagException e)
        {
            console.Err.WriteLine(UsageError(e.Message, path, path));
            return 125;
        }
        if (help)
        {
            HelpText.WriteGroup(console.Out, group);
            return 0;
        }
        if (positional.Count == 0)
        {
            HelpText.WriteGroup(console.Err, group);
            return 0;
        }
        console.Err.WriteLine($"berth: unknown command: {path} {positional[0]}\n\nUsage:  {path}\n\nRun '{path} --help' for more information");
        return 1;
    }

    /// <summary>docker's flag error: the parser's message, the usage line, and where to read more (exit 125).</summary>
    private static string UsageError(string message, string useLine, string commandPath) =>
        $"{message}\n\nUsage:  {useLine}\n\nRun '{commandPath} --help' for more information";

    /// <summary>The width help wraps to: stdin's terminal, as docker measures it, else 80 columns.</summary>
    private static int HelpWidth(CliConsole console) =>
        console.Terminal.IsStdinTerminal && console.Terminal.GetSize() is (_, var width) ? width : FlagUsages.DefaultWidth;
}

/// <summary>Docker's texts for failures that reach the top.</summary>
internal static class Errors
{
    public static string Describe(Exception e) => e switch
    {
        ApiException api => "Error response from daemon: " + api.Message,
        AggregateException { InnerExceptions.Count: > 0 } many => string.Join('\n', many.InnerExceptions.Select(Describe)),
        _ => e.Message,
    };

    /// <summary>What a Go program's exit looks like when its reader went away (killed by SIGPIPE: 128 + 13).</summary>
    public const int BrokenPipeExitCode = 141;

    /// <summary>A write to a closed pipe (<c>berth ps | head -1</c>): .NET ignores SIGPIPE and throws EPIPE instead.</summary>
    public static bool IsBrokenPipe(Exception e) => e is IOException { HResult: 32 } || e.InnerException is { } inner && IsBrokenPipe(inner);
}
