using Berth.Api.Client;
using Berth.Api.Models;
using Berth.Cli.Cli;
using Berth.Cli.Commands.System;

namespace Berth.Cli.Commands.Image;

/// <summary><c>berth image prune</c>: dangling images, or with <c>-a</c> every image no container uses.</summary>
internal sealed class ImagePruneCommand : CliCommand
{
    private readonly List<string> _filters = [];
    private bool _force;
    private bool _all;

    public override string Name => "prune";
    public override string Usage => "[OPTIONS]";
    public override string Short => "Remove unused images";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.Bool("all", 'a', "Remove all unused images, not just dangling ones", v => _all = v);
        flags.List("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", _filters).ValueTypeIs("filter");
        flags.Bool("force", 'f', "Do not prompt for confirmation", v => _force = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var filters = new Filters();
        foreach (var filter in _filters)
            filters.AddArgument(filter);
        var warning = _all
            ? "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?"
            : "WARNING! This will remove all dangling images.\nAre you sure you want to continue?";
        if (!_force && !await Prompt.ConfirmAsync(context, warning, cancellationToken).ConfigureAwait(false))
            return 0;
        var (space, output) = await PruneReports.ImagesAsync(context.Client, filters, _all, cancellationToken).ConfigureAwait(false);
        if (output.Length > 0)
            await context.Out.WriteLineAsync(output).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"Total reclaimed space: {HumanUnits.Size(space)}").ConfigureAwait(false);
        return 0;
    }
}
