using Berth.Api.Client;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth logs</c>: the stored output, raw for a TTY container, else split back into stdout and stderr.</summary>
internal sealed class LogsCommand : CliCommand
{
    private bool _follow;
    private bool _timestamps;
    private bool _details;
    private string _since = "";
    private string _until = "";
    private string _tail = "all";

    public override string Name => "logs";
    public override string Usage => "[OPTIONS] CONTAINER";
    public override string Short => "Fetch the logs of a container";
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags)
    {
        flags.Bool("details", null, "Show extra details provided to logs", v => _details = v);
        flags.Bool("follow", 'f', "Follow log output", v => _follow = v);
        flags.String("since", null, "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)", v => _since = v);
        flags.String("tail", 'n', "Number of lines to show from the end of the logs", v => _tail = v, "\"all\"");
        flags.Bool("timestamps", 't', "Show timestamps", v => _timestamps = v);
        flags.String("until", null, "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)", v => _until = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var container = await context.Client.ContainerInspectAsync(args[0], cancellationToken: cancellationToken).ConfigureAwait(false);
        var now = context.Clock.GetUtcNow();
        await using var body = await context.Client.ContainerLogsAsync(container.Id, new LogsOptions
        {
            Stdout = true,
            Stderr = true,
            Follow = _follow,
            Since = _since.Length > 0 ? Timestamps.Resolve(_since, now) : null,
            Until = _until.Length > 0 ? Timestamps.Resolve(_until, now) : null,
            Timestamps = _timestamps,
            Tail = _tail,
            Details = _details,
        }, cancellationToken).ConfigureAwait(false);
        if (container.Config.Tty)
            await body.CopyToAsync(context.Console.StdoutStream, cancellationToken).ConfigureAwait(false);
        else
            await MultiplexedStreamReader.DemultiplexAsync(body, context.Console.StdoutStream, context.Console.StderrStream, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
