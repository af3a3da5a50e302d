using Berth.Api.Models.Networks;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Network;

/// <summary><c>berth network disconnect NETWORK CONTAINER</c>; silent on success, as docker.</summary>
internal sealed class NetworkDisconnectCommand : CliCommand
{
    private bool _force;

    public override string Name => "disconnect";
    public override string Usage => "[OPTIONS] NETWORK CONTAINER";
    public override string Short => "Disconnect a container from a network";
    public override ArgsRule Args => ArgsRule.Exactly(2);

    public override void Configure(FlagSet flags) =>
        flags.Bool("force", 'f', "Force the container to disconnect from a network", v => _force = v);

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        await context.Client.NetworkDisconnectAsync(args[0], new NetworkDisconnectRequest { Container = args[1], Force = _force }, cancellationToken)
            .ConfigureAwait(false);
        return 0;
    }
}
