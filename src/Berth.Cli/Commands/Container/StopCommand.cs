using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth stop</c>: the stop signal, then SIGKILL after the timeout (the daemon's default when not given).</summary>
internal sealed class StopCommand : CliCommand
{
    private readonly StopFlags _stop = new();

    public override string Name => "stop";
    public override string Usage => "[OPTIONS] CONTAINER [CONTAINER...]";
    public override string Short => "Stop one or more running containers";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags) => _stop.Configure(flags);

    public override Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        EachContainer.RunAsync(context, args, id => context.Client.ContainerStopAsync(id, _stop.Timeout, _stop.Signal, cancellationToken), parallel: true);
}

/// <summary>The <c>-s/--signal</c> and <c>-t/--timeout</c> flags of stop and restart; unset values are not sent.</summary>
internal sealed class StopFlags
{
    private FlagSet? _flags;
    private int _timeout;

    public string? Signal { get; private set; }

    public int? Timeout => _flags is { } f && (f.Changed("timeout") || f.Changed("time")) ? _timeout : null;

    public void Configure(FlagSet flags)
    {
        _flags = flags;
        flags.String("signal", 's', "Signal to send to the container", v => Signal = v);
        flags.Int("timeout", 't', "Seconds to wait before killing the container", v => _timeout = v);
        flags.Int("time", null, "Seconds to wait before killing the container (deprecated: use --timeout)", v => _timeout = v).Hide();
    }
}
