using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Context;

/// <summary><c>berth context show</c>: the name of the context in use.</summary>
internal sealed class ContextShowCommand : CliCommand
{
    public override string Name => "show";
    public override string Usage => "";
    public override string Short => "Print the name of the current context";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        await context.Out.WriteLineAsync(context.Daemon.ContextName).ConfigureAwait(false);
        return 0;
    }
}
