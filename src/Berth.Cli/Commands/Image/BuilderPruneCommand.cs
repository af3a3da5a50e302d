using Berth.Api.Client;
using Berth.Api.Models;
using Berth.Cli.Cli;
using Berth.Cli.Commands.System;

namespace Berth.Cli.Commands.Image;

/// <summary><c>berth builder prune</c>: removes build cache after a confirmation (<c>-f</c> skips it), as docker's.</summary>
internal sealed class BuilderPruneCommand : CliCommand
{
    private readonly List<string> _filters = [];
    private bool _force;
    private bool _all;

    public override string Name => "prune";
    public override string Usage => "";
    public override string Short => "Remove build cache";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.Bool("all", 'a', "Remove all unused build cache, not just dangling ones", v => _all = v);
        flags.List("filter", null, "Provide filter values (e.g. \"until=24h\")", _filters).ValueTypeIs("filter");
        flags.Bool("force", 'f', "Do not prompt for confirmation", v => _force = v);
        // Checked as docker checks it; berthd keeps no build cache of its own to keep some of (PruneReports.BuildCacheAsync).
        flags.String("keep-storage", null, "Amount of disk space to keep for cache", v => ValueParsers.RamInBytes(v)).ValueTypeIs("bytes");
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var filters = new Filters();
        foreach (var filter in _filters)
            filters.AddArgument(filter);
        var warning = _all ? "WARNING! This will remove all build cache. Are you sure you want to continue?"
            : "WARNING! This will remove all dangling build cache. Are you sure you want to continue?";
        if (!_force && !await Prompt.ConfirmAsync(context, warning, cancellationToken).ConfigureAwait(false))
            return 0;
        var (space, output) = await PruneReports.BuildCacheAsync(context.Client, filters, _all, cancellationToken).ConfigureAwait(false);
        if (output.Length > 0)
            await context.Out.WriteLineAsync(output).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"Total reclaimed space: {HumanUnits.Size(space)}").ConfigureAwait(false);
        return 0;
    }
}
