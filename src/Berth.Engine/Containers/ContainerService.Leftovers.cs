using Berth.Runtime;
using Berth.Runtime.Containers;
using Berth.Shim.Protocol;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    private ContainerRuntime Runtime() =>
        new(new RuntimeOptions { Root = Layout.RuntimeRoot, StageExecutable = _options.RuntimePath });

    /// <summary>
    /// What a container's shim leaves when it did not end its run itself (killed, or orphaned by a daemon that died
    /// mid-start): a shim still listening is told to kill everything and waited for; then, as containerd's forced
    /// delete does, every process left in the container's cgroup is killed, the cgroups and the runtime state are
    /// removed, and so is the socket path (a stale one makes the next shim's bind fail).
    /// </summary>
    private async Task ReleaseShimLeftoversAsync(string id)
    {
        var socket = Layout.ShimSocket(id);
        if (File.Exists(socket))
        {
            var shim = new ShimClient(socket);
            try
            {
                await shim.KillAsync(Berth.Linux.Signals.SIGKILL, all: true);
                using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await shim.WaitAsync(bounded.Token);
            }
            catch (Exception e) when (e is ShimGoneException or ShimException or IOException or OperationCanceledException)
            {
                // nothing answers there, or it is already stopping: the forced delete below finishes the job
            }
            TryDelete(socket);
        }
        try
        {
            Runtime().Delete(id, force: true);
        }
        catch (RuntimeException e)
        {
            LogLeftoversFailed(_logger, id, e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "container {Id}: releasing what its shim left failed")]
    private static partial void LogLeftoversFailed(ILogger logger, string id, Exception error);
}
