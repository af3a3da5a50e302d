using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth kill</c>: SIGKILL unless <c>-s</c> says otherwise.</summary>
internal sealed class KillCommand : CliCommand
{
    private string? _signal;

    public override string Name => "kill";
    public override string Usage => "[OPTIONS] CONTAINER [CONTAINER...]";
    public override string Short => "Kill one or more running containers";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags) =>
        flags.String("signal", 's', "Signal to send to the container", v => _signal = v);

    public override Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        EachContainer.RunAsync(context, args, id => context.Client.ContainerKillAsync(id, _signal, cancellationToken), parallel: true);
}
