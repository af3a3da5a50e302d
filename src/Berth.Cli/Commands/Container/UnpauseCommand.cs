using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth unpause</c>.</summary>
internal sealed class UnpauseCommand : CliCommand
{
    public override string Name => "unpause";
    public override string Usage => "CONTAINER [CONTAINER...]";
    public override string Short => "Unpause all processes within one or more containers";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags)
    {
    }

    public override Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        EachContainer.RunAsync(context, args, id => context.Client.ContainerUnpauseAsync(id, cancellationToken), parallel: true);
}
