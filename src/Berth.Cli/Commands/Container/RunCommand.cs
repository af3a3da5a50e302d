using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// <c>berth run</c>, in docker's order: create (pulling a missing image) → attach (hijacked) → wait
/// (<c>next-exit</c>, or <c>removed</c> with <c>--rm</c>; registered before start) → start → stream → exit with the
/// container's code. Create/start failures exit 125, or 126/127 when the command could not be executed.
/// </summary>
internal sealed class RunCommand : CliCommand
{
    private readonly ContainerOptions _container = new();
    private readonly CreateOptions _create = new("Pull image before running (\"always\", \"missing\", \"never\")");
    private bool _detach;
    private bool _sigProxy = true;
    private string _detachKeys = "";

    public override string Name => "run";
    public override string Usage => "[OPTIONS] IMAGE [COMMAND] [ARG...]";
    public override string Short => "Create and run a new container from an image";
    public override ArgsRule Args => ArgsRule.AtLeast(1);
    public override bool Interspersed => false;

    public override void Configure(FlagSet flags)
    {
        _container.Configure(flags);
        _create.Configure(flags);
        flags.Bool("detach", 'd', "Run container in background and print container ID", v => _detach = v);
        flags.Bool("sig-proxy", null, "Proxy received signals to the process", v => _sigProxy = v, "true");
        flags.String("detach-keys", null, "Override the key sequence for detaching a container", v => _detachKeys = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // docker's config.json "detachKeys" is the default sequence when the flag is not given.
        if (_detachKeys.Length == 0)
            _detachKeys = context.Config.DetachKeys ?? "";
        ContainerCreateRequest request;
        ContainerCreator.Options createOptions;
        byte[]? detachKeys;
        try
        {
            request = _container.ToRequest(args, context.Environment);
            createOptions = _create.ToCreatorOptions(_container);
            detachKeys = _detachKeys.Length > 0 ? HijackSession.ParseDetachKeys(_detachKeys) : null;
        }
        catch (Exception e) when (e is InvalidOptionsException or FormatException)
        {
            ContainerCreator.ReportError(context, Name, e.Message);
            return 125;
        }
        PrepareStreams(context, request);

        string id;
        try
        {
            id = await ContainerCreator.CreateAsync(context, request, createOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var message = Errors.Describe(e);
            ContainerCreator.ReportError(context, Name, message);
            return ContainerCreator.StartFailureStatus(message);
        }
        return await RunCreatedAsync(context, id, request, detachKeys, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Attach, open the wait, start, stream; the exit status is the container's (0 when detached).</summary>
    private async Task<int> RunCreatedAsync(CliContext context, string id, ContainerCreateRequest request, byte[]? detachKeys, CancellationToken cancellationToken)
    {
        var client = context.Client;
        using var signals = SignalProxy.Start(context, id, _sigProxy && !request.Tty);
        var attach = request.AttachStdin || request.AttachStdout || request.AttachStderr;
        if (!attach)
            await context.Out.WriteLineAsync(id).ConfigureAwait(false);
        using var connection = attach
            ? await client.ContainerAttachAsync(id, new AttachOptions
            {
                Stream = true,
                Stdin = request.AttachStdin,
                Stdout = request.AttachStdout,
                Stderr = request.AttachStderr,
                DetachKeys = _detachKeys.Length > 0 ? _detachKeys : null,
            }, cancellationToken).ConfigureAwait(false)
            : null;

        var wait = await OpenWaitAsync(client, id, request.HostConfig!.AutoRemove).ConfigureAwait(false);
        var streaming = connection is null
            ? Task.CompletedTask
            : HijackSession.StreamAsync(connection, context.Console, request.Tty, request.AttachStdin, detachKeys, cancellationToken);

        try
        {
            await client.ContainerStartAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            connection?.Dispose();
            await Quietly(streaming).ConfigureAwait(false);
            var message = Errors.Describe(e);
            ContainerCreator.ReportError(context, Name, message);
            // docker waits for the auto-removal here; bounded, so a daemon that never removes cannot hang the CLI.
            if (request.HostConfig.AutoRemove)
                await Quietly(wait.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None)).ConfigureAwait(false);
            return ContainerCreator.StartFailureStatus(message);
        }

        using var resize = attach && request.Tty && context.Console.Terminal.IsStdoutTerminal
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
        return attach ? await ExitStatusAsync(context, wait).ConfigureAwait(false) : 0;
    }

    /// <summary>docker's run-time stream rules: <c>-d</c> attaches nothing; <c>-i</c> with attached stdin closes it after EOF.</summary>
    private void PrepareStreams(CliContext context, ContainerCreateRequest request)
    {
        if (_detach)
        {
            if (_container.Attach.Count > 0)
                throw new StatusException(1, "conflicting options: cannot specify both --attach and --detach");
            request.AttachStdin = request.AttachStdout = request.AttachStderr = false;
            request.StdinOnce = false;
        }
        else
        {
            if (request.Tty && request.AttachStdin && !context.Console.Terminal.IsStdinTerminal)
                throw new StatusException(1, "the input device is not a TTY");
            if (request.OpenStdin && request.AttachStdin)
                request.StdinOnce = true;
        }
        if (request.Tty && context.Console.Terminal.IsStdoutTerminal && context.Console.Terminal.GetSize() is var (height, width))
            request.HostConfig!.ConsoleSize = [(uint)height, (uint)width];
    }

    private static async Task<Task<ContainerWaitResponse>> OpenWaitAsync(IBerthClient client, string id, bool autoRemove)
    {
        try
        {
            // Not cancellable: the exit status is wanted even when attaching is cut short.
            return await client.ContainerWaitAsync(id, autoRemove ? "removed" : "next-exit", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return Task.FromException<ContainerWaitResponse>(e);
        }
    }

    private static async Task<int> ExitStatusAsync(CliContext context, Task<ContainerWaitResponse> wait)
    {
        try
        {
            var result = await wait.ConfigureAwait(false);
            if (result.Error is { } error)
            {
                await context.Err.WriteLineAsync($"Error waiting for container: {error.Message}").ConfigureAwait(false);
                return 125;
            }
            return (int)result.StatusCode;
        }
        catch (Exception e)
        {
            await context.Err.WriteLineAsync($"error waiting for container: {Errors.Describe(e)}").ConfigureAwait(false);
            return 125;
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
        }
    }
}
