using Berth.Engine.Containers.Model;
using Berth.Engine.Containers.Oci;
using Berth.Engine.Tasks;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Docker's update: the resource fields that are set (non-zero) replace the container's, and a running container's
    /// cgroup gets them at once; a restart policy replaces the old one. Returns Docker's warnings (limits the host cannot apply, discarded).
    /// </summary>
    public async Task<IReadOnlyList<string>> UpdateAsync(string idOrName, Resources changes, RestartPolicy? restartPolicy,
        CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        await container.Gate.WaitAsync(cancellationToken);
        try
        {
            var old = container.HostConfig.Resources;
            var merged = old with
            {
                Memory = changes.Memory != 0 ? changes.Memory : old.Memory,
                MemorySwap = changes.MemorySwap != 0 ? changes.MemorySwap : old.MemorySwap,
                MemoryReservation = changes.MemoryReservation != 0 ? changes.MemoryReservation : old.MemoryReservation,
                NanoCpus = changes.NanoCpus != 0 ? changes.NanoCpus : old.NanoCpus,
                CpuShares = changes.CpuShares != 0 ? changes.CpuShares : old.CpuShares,
                CpuPeriod = changes.CpuPeriod != 0 ? changes.CpuPeriod : old.CpuPeriod,
                CpuQuota = changes.CpuQuota != 0 ? changes.CpuQuota : old.CpuQuota,
                CpusetCpus = changes.CpusetCpus ?? old.CpusetCpus,
                CpusetMems = changes.CpusetMems ?? old.CpusetMems,
                PidsLimit = changes.PidsLimit ?? old.PidsLimit,
                BlkioWeight = changes.BlkioWeight != 0 ? changes.BlkioWeight : old.BlkioWeight,
            };
            var warnings = new List<string>();
            merged = UnsupportedResources.Discard(merged, SpecHost.Current.Cgroups, warnings);
            ResourceLimits.Validate(merged, Environment.ProcessorCount);
            var hostConfig = container.HostConfig with { Resources = merged, RestartPolicy = restartPolicy ?? container.HostConfig.RestartPolicy };
            if (hostConfig.AutoRemove && hostConfig.RestartPolicy.Name is not ("" or "no"))
                throw new EngineException(ErrorKind.InvalidArgument, "Restart policy cannot be updated because AutoRemove is enabled for the container");
            if (container.State.Status is ContainerStatus.Running or ContainerStatus.Paused && container.Run is { } run)
            {
                try
                {
                    await run.Task.UpdateAsync(ResourceLimits.ToOci(merged, SpecHost.Current.DeviceNumber), cancellationToken);
                }
                catch (Exception e) when (e is TaskFailedException or TaskGoneException)
                {
                    throw new EngineException(ErrorKind.System, $"Cannot update container {container.Id}: {e.Message}", e);
                }
            }
            lock (container.Lock) container.HostConfig = hostConfig;
            Save(container);
            Publish(container, "update");
            return warnings;
        }
        finally
        {
            container.Gate.Release();
        }
    }
}
