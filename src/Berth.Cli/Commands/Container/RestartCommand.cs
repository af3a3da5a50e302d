using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth restart</c>.</summary>
internal sealed class RestartCommand : CliCommand
{
    private readonly StopFlags _stop = new();

    public override string Name => "restart";
    public override string Usage => "[OPTIONS] CONTAINER [CONTAINER...]";
    public override string Short => "Restart one or more containers";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags) => _stop.Configure(flags);

    public override Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        EachContainer.RunAsync(context, args, id => context.Client.ContainerRestartAsync(id, _stop.Timeout, _stop.Signal, cancellationToken));
}
