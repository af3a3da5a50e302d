using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>
/// The hosts berthd builds: Kestrel and routing, console logging of warnings, and nothing else. No appsettings.json is
/// read from the working directory (it could reconfigure Kestrel), and no file watcher runs on the content root (it
/// would lstat every file written below it, and the data root is often there).
/// </summary>
internal static class EmptyHost
{
    public static WebApplicationBuilder Create()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        return builder;
    }
}
