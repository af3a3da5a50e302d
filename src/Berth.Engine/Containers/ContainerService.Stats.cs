using System.Runtime.CompilerServices;
using Berth.Engine.Containers.Stats;
using Berth.Runtime.Cgroups;

namespace Berth.Engine.Containers;

/// <summary>One stats reading with the one before it (Docker's precpu), for a container.</summary>
public sealed record StatsReading(StatsSample Current, StatsSample? Previous, ulong HostMemory);

public sealed partial class ContainerService
{
    private static readonly Lazy<CgroupLayout> CgroupLayoutOfHost = new(() => CgroupLayout.Detect());

    /// <summary>
    /// Docker's stats: a reading per second while <paramref name="stream"/> (until the container stops or the client
    /// leaves); otherwise one reading, taken a second after a first one unless <paramref name="oneShot"/>, so that
    /// CPU percentages have a previous sample. A stopped container gives one empty reading.
    /// </summary>
    public async IAsyncEnumerable<StatsReading> StatsAsync(
        string idOrName, bool stream, bool oneShot, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var container = Get(idOrName);
        var reader = new ContainerStatsReader(CgroupLayoutOfHost.Value);
        var hostMemory = (ulong)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        StatsSample? previous = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!container.State.IsRunning || container.State.Pid == 0)
            {
                yield return new StatsReading(new StatsSample(DateTimeOffset.MinValue, CgroupStats.Empty, 0, 0,
                    new Dictionary<string, NetworkInterfaceStats>()), null, hostMemory);
                yield break;
            }
            var sample = reader.Read(Oci.SpecBuilder.CgroupsPathOf(container.HostConfig, container.Id), container.State.Pid);
            if (stream || oneShot || previous is not null)
            {
                yield return new StatsReading(sample, previous, hostMemory);
                if (!stream) yield break;
            }
            previous = sample;
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}
