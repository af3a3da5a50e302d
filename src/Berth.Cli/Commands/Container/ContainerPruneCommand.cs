using Berth.Api.Client;
using Berth.Api.Models;
using Berth.Cli.Cli;
using Berth.Cli.Commands.System;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth container prune</c>: removes stopped containers after a confirmation (<c>-f</c> skips it).</summary>
internal sealed class ContainerPruneCommand : CliCommand
{
    private readonly List<string> _filters = [];
    private bool _force;

    public override string Name => "prune";
    public override string Usage => "[OPTIONS]";
    public override string Short => "Remove all stopped containers";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.List("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", _filters).ValueTypeIs("filter");
        flags.Bool("force", 'f', "Do not prompt for confirmation", v => _force = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var filters = new Filters();
        foreach (var filter in _filters)
            filters.AddArgument(filter);
        if (!_force && !await Prompt.ConfirmAsync(context, "WARNING! This will remove all stopped containers.\nAre you sure you want to continue?", cancellationToken).ConfigureAwait(false))
            return 0;
        var (space, output) = await PruneReports.ContainersAsync(context.Client, filters, cancellationToken).ConfigureAwait(false);
        if (output.Length > 0)
            await context.Out.WriteLineAsync(output).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"Total reclaimed space: {HumanUnits.Size(space)}").ConfigureAwait(false);
        return 0;
    }
}
