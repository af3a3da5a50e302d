using Berth.Cli.Cli;

namespace Berth.Cli.Terminal;

/// <summary>
/// Keeps a container's or exec's TTY the size of ours (docker's <c>MonitorTtySize</c>): one resize now, retried
/// while the process may still be starting, then one per SIGWINCH.
/// </summary>
internal static class TtyResize
{
    public static IDisposable Monitor(CliConsole console, Func<int, int, Task> resize)
    {
        _ = InitialAsync(console, resize);
        return console.Terminal.OnResize(() => _ = ResizeOnceAsync(console, resize));
    }

    private static async Task InitialAsync(CliConsole console, Func<int, int, Task> resize)
    {
        for (var attempt = 0; attempt <= 10; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(attempt * 10).ConfigureAwait(false);
            if (await ResizeOnceAsync(console, resize).ConfigureAwait(false))
                return;
        }
        await console.Err.WriteLineAsync("failed to resize tty, using default size").ConfigureAwait(false);
    }

    private static async Task<bool> ResizeOnceAsync(CliConsole console, Func<int, int, Task> resize)
    {
        if (console.Terminal.GetSize() is not var (height, width) || (height == 0 && width == 0))
            return true;
        try
        {
            await resize(height, width).ConfigureAwait(false);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
