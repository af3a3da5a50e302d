using Berth.Engine.Tasks;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// The CRI's log rotation: kubelet has renamed a running container's log file and asks for a new one at the same
    /// path; the shim closes the file it writes and opens the path again.
    /// </summary>
    public async Task ReopenLogAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        if (container.State.Status != ContainerStatus.Running || container.Run is not { } run)
            throw new EngineException(ErrorKind.Conflict, $"container {container.Id} is not running");
        try
        {
            await run.Task.ReopenLogAsync(cancellationToken);
        }
        catch (Exception e) when (e is TaskFailedException or TaskGoneException)
        {
            throw new EngineException(ErrorKind.Conflict, $"container {container.Id} is not running", e);
        }
    }
}
