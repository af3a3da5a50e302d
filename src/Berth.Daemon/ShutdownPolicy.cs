using Berth.Engine.Containers;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>
/// <c>--live-restore=false</c>: as dockerd without live restore, a stopping daemon stops its running containers (each
/// with its own stop signal and timeout, all at once) instead of leaving them to the next start.
/// </summary>
internal static class ShutdownPolicy
{
    public static async Task StopContainersAsync(ContainerService containers, ILogger logger)
    {
        var running = containers.All.Where(c => c.State.IsRunning).ToList();
        await Task.WhenAll(running.Select(async container =>
        {
            try
            {
                await containers.StopAsync(container.Id, timeout: null, signal: null);
            }
            catch (Exception e) when (e is Engine.EngineException or IOException)
            {
                logger.StopOnShutdownFailed(container.Id, e.Message);
            }
        }));
    }
}
