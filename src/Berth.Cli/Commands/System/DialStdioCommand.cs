using Berth.Cli.Cli;

namespace Berth.Cli.Commands.System;

/// <summary>
/// <c>berth system dial-stdio</c>: joins stdin and stdout to one connection to the daemon; the far end of
/// <c>ssh://</c> hosts. stdin's end half-closes the connection; the command ends when the daemon's side closes.
/// </summary>
internal sealed class DialStdioCommand : CliCommand
{
    public override string Name => "dial-stdio";
    public override string Usage => "";
    public override string Short => "Proxy the stdio stream to the daemon connection. Should not be invoked manually.";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        using var connection = await context.Daemon.Endpoint().ConnectAsync(cancellationToken).ConfigureAwait(false);
        var toDaemon = ForwardStdinAsync(context, connection, cancellationToken);
        await connection.Stream.CopyToAsync(context.Console.StdoutStream, cancellationToken).ConfigureAwait(false);
        await context.Console.StdoutStream.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (toDaemon.IsFaulted)
            await toDaemon.ConfigureAwait(false);
        return 0;
    }

    private static async Task ForwardStdinAsync(CliContext context, Api.Client.DaemonConnection connection, CancellationToken cancellationToken)
    {
        await context.Console.StdinStream.CopyToAsync(connection.Stream, cancellationToken).ConfigureAwait(false);
        await connection.Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        await connection.CloseWriteAsync().ConfigureAwait(false);
    }
}
