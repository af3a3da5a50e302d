using Berth.Api.Client;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose logs</c>: every container's output, prefixed and coloured by container; <c>-f</c> follows them all.</summary>
internal sealed class ComposeLogsCommand : ComposeSubcommand
{
    private bool _follow;
    private bool _timestamps;
    private bool _noColour;
    private bool _noPrefix;
    private string _tail = "all";
    private string? _since;
    private string? _until;

    public override string Name => "logs";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "View output from containers";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("follow", 'f', "Follow log output", v => _follow = v);
        flags.Bool("timestamps", 't', "Show timestamps", v => _timestamps = v);
        flags.Bool("no-color", null, "Produce monochrome output", v => _noColour = v);
        flags.Bool("no-log-prefix", null, "Don't print prefix in logs", v => _noPrefix = v);
        flags.String("tail", 'n', "Number of lines to show from the end of the logs for each container", v => _tail = v, "\"all\"");
        flags.String("since", null, "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)", v => _since = v);
        flags.String("until", null, "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)", v => _until = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (name, _) = Compose.NameOrProject(context);
        var containers = (await ProjectContainers.ListAsync(context.Client, name, all: true, oneoff: false, cancellationToken).ConfigureAwait(false))
            .Where(c => args.Count == 0 || args.Contains(c.ServiceName())).ToList();
        var printer = new LogPrinter(context.Out, context.Err, !_noColour && Compose.Colours(context), !_noPrefix);
        printer.Register(containers.Select(c => c.ShortName(name)));
        var now = context.Clock.GetUtcNow();
        var options = new LogsOptions
        {
            Follow = _follow,
            Timestamps = _timestamps,
            Tail = _tail,
            Since = _since is null ? null : Timestamps.Resolve(_since, now),
            Until = _until is null ? null : Timestamps.Resolve(_until, now),
        };
        if (_follow)
            await Task.WhenAll(containers.Select(c => printer.FollowAsync(context.Client, c, c.ShortName(name), options, cancellationToken))).ConfigureAwait(false);
        else
            foreach (var c in containers)
                await printer.FollowAsync(context.Client, c, c.ShortName(name), options, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
