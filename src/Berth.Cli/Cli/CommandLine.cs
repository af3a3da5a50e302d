using Berth.Api.Client;

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
        globals.Configure(rootFlags);
        List<string> rest;
        try
        {
            rest = rootFlags.Parse(args);
        }
        catch (FlagException e)
        {
            console.Err.WriteLine($"{e.Message}\nSee 'berth --help'.");
            return 125;
        }
        if (globals.ShowVersion)
        {
            console.Out.WriteLine($"Berth version {BuildInfo.Version}, build {BuildInfo.GitCommit}");
            return 0;
        }
        if (rest.Count == 0 || globals.Help)
        {
            HelpText.WriteRoot(console.Out);
            return 0;
        }

        var (entry, consumed, path) = CommandRegistry.Find(rest);
        if (entry is null)
        {
            if (path is not null)
            {
                HelpText.WriteGroup(console.Out, path);
                return 0;
            }
            console.Err.WriteLine($"berth: '{rest[0]}' is not a berth command.\nSee 'berth --help'");
            return 1;
        }

        var command = entry.Create();
        var commandPath = "berth " + string.Join(' ', rest.Take(consumed));
        var context = new CliContext(console, () => clientFactory(DaemonEndpoint.Resolve(globals.Host, environment)), environment, clock)
        {
            CommandPath = commandPath,
            ConfigDirectory = DockerConfigFile.DirectoryFor(globals.ConfigDirectory, environment),
        };
        return await RunCommandAsync(command, context, entry, rest.Skip(consumed).ToList(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RunCommandAsync(CliCommand command, CliContext context, CommandEntry entry, List<string> args, CancellationToken cancellationToken)
    {
        var flags = new FlagSet { Interspersed = command.Interspersed };
        var help = false;
        command.Configure(flags);
        var helpShort = flags.Flags.Any(f => f.Shorthand == 'h') ? (char?)null : 'h';
        flags.Bool("help", helpShort, "Print usage", v => help = v, hidden: true);
        List<string> positional;
        try
        {
            positional = flags.Parse(args);
        }
        catch (FlagException e)
        {
            context.Err.WriteLine($"{e.Message}\nSee '{context.CommandPath} --help'.");
            return 125;
        }
        if (help)
        {
            HelpText.WriteCommand(context.Out, context.CommandPath, command, flags, entry);
            return 0;
        }
        if (command.Args.Check(context.CommandPath, positional.Count) is { } argsError)
        {
            context.Err.WriteLine($"{argsError}\nSee '{context.CommandPath} --help'.\n\nUsage:  {context.CommandPath} {command.Usage}\n\n{command.Short}");
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
            context.Err.WriteLine($"{e.Message}\nSee '{context.CommandPath} --help'.");
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

/// <summary>Flags accepted before the command name.</summary>
internal sealed class GlobalOptions
{
    public string? Host { get; private set; }
    public string? ConfigDirectory { get; private set; }
    public bool Debug { get; private set; }
    public string LogLevel { get; private set; } = "info";
    public bool ShowVersion { get; private set; }
    public bool Help { get; private set; }

    public void Configure(FlagSet flags)
    {
        flags.String("host", 'H', "Daemon socket to connect to", v => Host = v);
        flags.Bool("debug", 'D', "Enable debug mode", v => Debug = v);
        flags.String("log-level", 'l', "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")", v => LogLevel = v, "\"info\"");
        flags.String("config", null, "Location of client config files", v => ConfigDirectory = v);
        flags.String("context", 'c', "Name of the context to use to connect to the daemon", _ => { });
        flags.Bool("version", 'v', "Print version information and quit", v => ShowVersion = v);
        flags.Bool("help", 'h', "Print usage", v => Help = v, hidden: true);
    }
}
