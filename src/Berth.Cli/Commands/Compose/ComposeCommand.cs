using Berth.Cli.Cli;
using Berth.Compose;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose [OPTIONS] COMMAND</c>: its own flags, then one of its subcommands with theirs. One entry in the
/// command registry, dispatching itself, because compose's flags come between <c>compose</c> and the subcommand.
/// </summary>
internal sealed class ComposeCommand : CliCommand
{
    private readonly ComposeOptions _options = new();
    private FlagSet _flags = new();

    public override string Name => "compose";
    public override string Usage => "[OPTIONS] COMMAND";
    public override string Short => "Define and run multi-container applications with Berth";
    public override bool Interspersed => false;

    public override string Long =>
        Short + "\n\nCommands:\n" + string.Concat(ComposeSubcommands.Summaries.Select(c => $"  {c.Name,-11} {c.Short}\n"))
        + "\nRun 'berth compose COMMAND --help' for more information on a command.";

    public override void Configure(FlagSet flags)
    {
        _flags = flags;
        _options.Configure(flags);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args.Count == 0)
        {
            HelpText.WriteCommand(context.Out, context.CommandPath, this, _flags, new CommandEntry([Name], Short, () => this), FlagUsages.DefaultWidth);
            return 0;
        }
        if (ComposeSubcommands.Create(args[0]) is not { } command)
            throw new StatusException(1, $"unknown docker command: \"compose {args[0]}\"");
        command.Compose = _options;
        var path = $"{context.CommandPath} {command.Name}";
        var help = false;
        var flags = new FlagSet { Interspersed = command.Interspersed };
        command.Configure(flags);
        flags.Bool("help", flags.Flags.Any(f => f.Shorthand == 'h') ? null : 'h', "Print usage", v => help = v, hidden: true);
        var positional = flags.Parse(args.Skip(1).ToList());
        if (help)
        {
            HelpText.WriteCommand(context.Out, path, command, flags, new CommandEntry([path], command.Short, () => command), FlagUsages.DefaultWidth);
            return 0;
        }
        if (command.Args.Check(path, HelpText.UseLine(path, command), positional.Count) is { } argsError)
            throw new StatusException(1, argsError);
        context.CommandPath = path;
        try
        {
            return await command.RunAsync(context, positional, cancellationToken).ConfigureAwait(false);
        }
        catch (ComposeException e)
        {
            throw new StatusException(1, e.Message);
        }
    }
}

/// <summary>A <c>berth compose</c> subcommand: a command whose project comes from compose's own flags.</summary>
internal abstract class ComposeSubcommand : CliCommand
{
    public ComposeOptions Compose { get; set; } = new();
}
