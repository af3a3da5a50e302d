using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Commands.System;

namespace Berth.Cli.Commands.Network;

/// <summary><c>berth network prune</c>: every custom network no container uses, after docker's confirmation.</summary>
internal sealed class NetworkPruneCommand : CliCommand
{
    private const string Warning = "WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?";

    private readonly Filters _filters = new();
    private bool _force;

    public override string Name => "prune";
    public override string Usage => "[OPTIONS]";
    public override string Short => "Remove all unused networks";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.String("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", v => _filters.AddArgument(v)).ValueTypeIs("filter");
        flags.Bool("force", 'f', "Do not prompt for confirmation", v => _force = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // A "no" is docker's cancelled error: nothing more printed, exit 0.
        if (!_force && !await Prompt.ConfirmAsync(context, Warning, cancellationToken).ConfigureAwait(false))
            return 0;
        var (_, output) = await PruneReports.NetworksAsync(context.Client, _filters, cancellationToken).ConfigureAwait(false);
        if (output.Length > 0)
            await context.Out.WriteLineAsync(output).ConfigureAwait(false);
        return 0;
    }
}
