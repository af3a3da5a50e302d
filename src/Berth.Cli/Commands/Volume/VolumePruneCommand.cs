using Berth.Api.Client;
using Berth.Api.Models;
using Berth.Cli.Cli;
using Berth.Cli.Commands.System;

namespace Berth.Cli.Commands.Volume;

/// <summary><c>berth volume prune</c>: unused anonymous volumes (<c>-a</c>: named ones too), after a confirmation.</summary>
internal sealed class VolumePruneCommand : CliCommand
{
    private readonly List<string> _filters = [];
    private bool _all;
    private bool _force;

    public override string Name => "prune";
    public override string Usage => "[OPTIONS]";
    public override string Short => "Remove unused local volumes";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.Bool("all", 'a', "Remove all unused volumes, not just anonymous ones", v => _all = v);
        flags.List("filter", null, "Provide filter values (e.g. \"label=<label>\")", _filters).ValueTypeIs("filter");
        flags.Bool("force", 'f', "Do not prompt for confirmation", v => _force = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var filters = new Filters();
        foreach (var filter in _filters)
            filters.AddArgument(filter);
        if (_all)
            filters.Add("all", "true");
        var warning = _all
            ? "WARNING! This will remove all local volumes not used by at least one container."
            : "WARNING! This will remove anonymous local volumes not used by at least one container.";
        if (!_force && !await Prompt.ConfirmAsync(context, warning + "\nAre you sure you want to continue?", cancellationToken).ConfigureAwait(false))
            return 0;
        var (space, output) = await PruneReports.VolumesAsync(context.Client, filters, cancellationToken).ConfigureAwait(false);
        if (output.Length > 0)
            await context.Out.WriteLineAsync(output).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"Total reclaimed space: {HumanUnits.Size(space)}").ConfigureAwait(false);
        return 0;
    }
}
