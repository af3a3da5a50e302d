using Berth.Api.Client;
using Berth.Api.Models;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.System;

/// <summary>
/// <c>berth system prune</c>: docker's sequence of prunes (containers, networks, volumes with <c>--volumes</c>, images,
/// build cache), each with the same filters and each reporting what it deleted; the first failure ends it, as in docker.
/// </summary>
internal sealed class SystemPruneCommand : CliCommand
{
    private readonly List<string> _filters = [];
    private bool _all;
    private bool _force;
    private bool _volumes;

    public override string Name => "prune";
    public override string Usage => "[OPTIONS]";
    public override string Short => "Remove unused data";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.Bool("all", 'a', "Remove all unused images not just dangling ones", v => _all = v);
        flags.List("filter", null, "Provide filter values (e.g. \"label=<key>=<value>\")", _filters).ValueTypeIs("filter");
        flags.Bool("force", 'f', "Do not prompt for confirmation", v => _force = v);
        flags.Bool("volumes", null, "Prune anonymous volumes", v => _volumes = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (!_force && !await Prompt.ConfirmAsync(context, Warning(), cancellationToken).ConfigureAwait(false))
            return 0;
        var client = context.Client;
        var prunes = new List<Func<Filters, Task<(long Space, string Output)>>>
        {
            f => PruneReports.ContainersAsync(client, f, cancellationToken),
            f => PruneReports.NetworksAsync(client, f, cancellationToken),
        };
        if (_volumes)
            prunes.Add(f => PruneReports.VolumesAsync(client, f, cancellationToken));
        prunes.Add(f => PruneReports.ImagesAsync(client, f, _all, cancellationToken));
        prunes.Add(f => PruneReports.BuildCacheAsync(client, f, _all, cancellationToken));
        long reclaimed = 0;
        foreach (var prune in prunes)
        {
            var (space, output) = await prune(Filters()).ConfigureAwait(false);
            reclaimed += space;
            if (output.Length > 0)
                await context.Out.WriteLineAsync(output).ConfigureAwait(false);
        }
        await context.Out.WriteLineAsync($"Total reclaimed space: {HumanUnits.Size(reclaimed)}").ConfigureAwait(false);
        return 0;
    }

    private Filters Filters()
    {
        var filters = new Filters();
        foreach (var filter in _filters)
            filters.AddArgument(filter);
        return filters;
    }

    private string Warning()
    {
        var items = new List<string>
        {
            "all stopped containers",
            "all networks not used by at least one container",
        };
        if (_volumes)
            items.Add("all anonymous volumes not used by at least one container");
        items.Add(_all ? "all images without at least one container associated to them" : "all dangling images");
        items.Add(_all ? "all build cache" : "unused build cache");
        return "WARNING! This will remove:\n" + string.Concat(items.Select(i => $"  - {i}\n")) + "\nAre you sure you want to continue?";
    }
}
