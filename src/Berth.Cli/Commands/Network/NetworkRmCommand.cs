using Berth.Api.Client;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Network;

/// <summary>
/// <c>berth network rm</c>: docker 28's loop, which differs from container rm's: each failure is printed as it
/// happens, every network is tried, and a failure ends with <c>exit status 1</c> on stderr and exit code 1.
/// <c>-f</c> makes a missing network no failure and prints nothing for it.
/// </summary>
internal sealed class NetworkRmCommand : CliCommand
{
    private bool _force;

    public override string Name => "rm";
    public override string Usage => "NETWORK [NETWORK...]";
    public override string Short => "Remove one or more networks";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags) =>
        flags.Bool("force", 'f', "Do not error if the network does not exist", v => _force = v);

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var failed = false;
        foreach (var name in args)
        {
            try
            {
                await context.Client.NetworkRemoveAsync(name, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            }
            catch (ApiException e) when (_force && e.IsNotFound)
            {
            }
            catch (ApiException e)
            {
                await context.Err.WriteLineAsync(Errors.Describe(e)).ConfigureAwait(false);
                failed = true;
            }
        }
        return failed ? throw new StatusException(1, "exit status 1") : 0;
    }
}
