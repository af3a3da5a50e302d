using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>
/// The hosts berthd builds: Kestrel and routing, console logging at the daemon's level, and nothing else. No
/// appsettings.json is read from the working directory (it could reconfigure Kestrel), and no file watcher runs on the
/// content root (it would lstat every file written below it, and the data root is often there).
/// </summary>
internal static class EmptyHost
{
    public static WebApplicationBuilder Create(LogLevelSwitch level)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        // Request bodies (build contexts, loads, imports) arrive in 4 KiB blocks: reading each straight into a block,
        // rather than after a zero-byte read that waits for data, halves the receive calls while an archive flows in.
        builder.WebHost.UseSockets(sockets => sockets.WaitForDataBeforeAllocatingBuffer = false);
        builder.Services.AddRoutingCore();
        builder.Logging.AddSimpleConsole(console => console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffK ")
            .SetMinimumLevel(LogLevel.Trace).AddFilter(level.Allows);
        return builder;
    }
}
