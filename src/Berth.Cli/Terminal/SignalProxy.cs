using Berth.Api.Client;
using Berth.Cli.Cli;

namespace Berth.Cli.Terminal;

/// <summary>
/// <c>--sig-proxy</c>: while attached without a TTY, INT/TERM/QUIT/HUP sent to the CLI are sent to the container
/// instead (with a TTY the keys reach the container as bytes). Failures are ignored: the container may be gone.
/// </summary>
internal static class SignalProxy
{
    public static IDisposable? Start(CliContext context, string container, bool enabled)
    {
        if (!enabled)
            return null;
        var client = context.Client;
        return context.Console.Signals.Subscribe(signal => _ = KillQuietlyAsync(client, container, signal));
    }

    private static async Task KillQuietlyAsync(IBerthClient client, string container, string signal)
    {
        try
        {
            await client.ContainerKillAsync(container, signal).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Not running any more, or the daemon went away: nothing to forward to.
        }
    }
}
