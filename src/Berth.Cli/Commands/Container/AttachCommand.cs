using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// <c>berth attach</c>: joins a running container's stdio until it exits (exit code = the container's) or the
/// detach keys are typed (docker then reports <c>read escape sequence</c>, exit 1).
/// </summary>
internal sealed class AttachCommand : CliCommand
{
    private bool _noStdin;
    private bool _sigProxy = true;
    private string _detachKeys = "";

    public override string Name => "attach";
    public override string Usage => "[OPTIONS] CONTAINER";
    public override string Short => "Attach local standard input, output, and error streams to a running container";
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags)
    {
        flags.Bool("no-stdin", null, "Do not attach STDIN", v => _noStdin = v);
        flags.Bool("sig-proxy", null, "Proxy all received signals to the process", v => _sigProxy = v, "true");
        flags.String("detach-keys", null, "Override the key sequence for detaching a container", v => _detachKeys = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // docker's config.json "detachKeys" is the default sequence when the flag is not given.
        if (_detachKeys.Length == 0)
            _detachKeys = context.Config.DetachKeys ?? "";
        var client = context.Client;
        var name = args[0];
        var container = await InspectRunningAsync(client, name, cancellationToken).ConfigureAwait(false);
        var tty = container.Config.Tty;
        if (tty && !_noStdin && !context.Console.Terminal.IsStdinTerminal)
            throw new StatusException(1, "the input device is not a TTY");
        var stdin = !_noStdin && container.Config.OpenStdin;
        var detachKeys = _detachKeys.Length > 0 ? HijackSession.ParseDetachKeys(_detachKeys) : null;
        var wait = await client.ContainerWaitAsync(name, "not-running", CancellationToken.None).ConfigureAwait(false);
        using var signals = SignalProxy.Start(context, name, _sigProxy && !tty);
        using var connection = await client.ContainerAttachAsync(name, new AttachOptions
        {
            Stream = true,
            Stdin = stdin,
            Stdout = true,
            Stderr = true,
            DetachKeys = _detachKeys.Length > 0 ? _detachKeys : null,
        }, cancellationToken).ConfigureAwait(false);
        await InspectRunningAsync(client, name, cancellationToken).ConfigureAwait(false);
        using var resize = tty && context.Console.Terminal.IsStdoutTerminal
            ? TtyResize.Monitor(context.Console, (h, w) => client.ContainerResizeAsync(name, h, w))
            : null;
        await HijackSession.StreamAsync(connection, context.Console, tty, stdin, detachKeys, cancellationToken).ConfigureAwait(false);
        var result = await wait.ConfigureAwait(false);
        return (int)result.StatusCode;
    }

    private static async Task<ContainerInspectResponse> InspectRunningAsync(IBerthClient client, string name, CancellationToken cancellationToken)
    {
        var container = await client.ContainerInspectAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!container.State.Running)
            throw new StatusException(1, "You cannot attach to a stopped container, start it first");
        if (container.State.Paused)
            throw new StatusException(1, "You cannot attach to a paused container, unpause it first");
        if (container.State.Restarting)
            throw new StatusException(1, "You cannot attach to a restarting container, wait until it is running");
        return container;
    }
}
