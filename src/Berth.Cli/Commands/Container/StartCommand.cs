using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// <c>berth start</c>: without <c>-a</c>/<c>-i</c>, starts each container and prints its name; with them, attaches
/// to one container first, then waits, starts, streams and exits with its code, as <c>run</c> does.
/// </summary>
internal sealed class StartCommand : CliCommand
{
    private bool _attach;
    private bool _interactive;
    private string _detachKeys = "";

    public override string Name => "start";
    public override string Usage => "[OPTIONS] CONTAINER [CONTAINER...]";
    public override string Short => "Start one or more stopped containers";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags)
    {
        flags.Bool("attach", 'a', "Attach STDOUT/STDERR and forward signals", v => _attach = v);
        flags.Bool("interactive", 'i', "Attach container's STDIN", v => _interactive = v);
        flags.String("detach-keys", null, "Override the key sequence for detaching a container", v => _detachKeys = v);
        flags.String("checkpoint", null, "Restore from this checkpoint", _ => { }).UnsupportedBecause(DaemonSupport.Experimental);
        flags.String("checkpoint-dir", null, "Use a custom checkpoint storage directory", _ => { }).UnsupportedBecause(DaemonSupport.Experimental);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // docker's config.json "detachKeys" is the default sequence when the flag is not given.
        if (_detachKeys.Length == 0)
            _detachKeys = context.Config.DetachKeys ?? "";
        if (!_attach && !_interactive)
            return await StartAllAsync(context, args, cancellationToken).ConfigureAwait(false);
        if (args.Count > 1)
            throw new StatusException(1, "you cannot start and attach multiple containers at once");
        var client = context.Client;
        var container = await client.ContainerInspectAsync(args[0], cancellationToken: cancellationToken).ConfigureAwait(false);
        var id = container.Id;
        var tty = container.Config.Tty;
        var stdin = _interactive && container.Config.OpenStdin;
        var detachKeys = _detachKeys.Length > 0 ? HijackSession.ParseDetachKeys(_detachKeys) : null;
        using var signals = SignalProxy.Start(context, id, enabled: !tty);
        using var connection = await client.ContainerAttachAsync(id, new AttachOptions
        {
            Stream = true,
            Stdin = stdin,
            Stdout = true,
            Stderr = true,
            DetachKeys = _detachKeys.Length > 0 ? _detachKeys : null,
        }, cancellationToken).ConfigureAwait(false);
        var streaming = HijackSession.StreamAsync(connection, context.Console, tty, stdin, detachKeys, cancellationToken);
        Task<ContainerWaitResponse> wait;
        try
        {
            wait = await client.ContainerWaitAsync(id, container.HostConfig.AutoRemove ? "removed" : "next-exit", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            wait = Task.FromException<ContainerWaitResponse>(e);
        }
        try
        {
            await client.ContainerStartAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            connection.Dispose();
            try
            {
                await streaming.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The start error is the one to report.
            }
            throw;
        }
        using var resize = tty && context.Console.Terminal.IsStdoutTerminal
            ? TtyResize.Monitor(context.Console, (h, w) => client.ContainerResizeAsync(id, h, w))
            : null;
        try
        {
            await streaming.ConfigureAwait(false);
        }
        catch (DetachedException)
        {
            return 0;
        }
        var result = await wait.ConfigureAwait(false);
        return (int)result.StatusCode;
    }

    private static async Task<int> StartAllAsync(CliContext context, IReadOnlyList<string> containers, CancellationToken cancellationToken)
    {
        var failed = new List<string>();
        foreach (var container in containers)
        {
            try
            {
                await context.Client.ContainerStartAsync(container, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(container).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await context.Err.WriteLineAsync(Errors.Describe(e)).ConfigureAwait(false);
                failed.Add(container);
            }
        }
        return failed.Count == 0 ? 0 : throw new StatusException(1, $"Error: failed to start containers: {string.Join(", ", failed)}");
    }
}
