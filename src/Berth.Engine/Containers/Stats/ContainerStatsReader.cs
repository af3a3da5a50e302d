using System.Globalization;
using Berth.Runtime.Cgroups;

namespace Berth.Engine.Containers.Stats;

/// <summary>
/// Samples a running container's resource usage: its cgroup's counters, the host's CPU time, and the network
/// counters of its init's namespace. Every root is a parameter, so a fake /proc and cgroupfs on a temp directory
/// stand in for the host's in tests.
/// </summary>
public sealed class ContainerStatsReader(CgroupLayout layout, string procRoot = "/proc", TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// One sample of the container whose cgroup is <paramref name="cgroupsPath"/> (e.g. "/berth/&lt;id&gt;") and whose
    /// init is <paramref name="initPid"/>. A container that is going away yields zeros and no networks, not an error.
    /// </summary>
    /// <exception cref="IOException">/proc/stat cannot be read (a host without procfs).</exception>
    /// <exception cref="CgroupException">The path is not one a container can have (empty, the root, systemd form).</exception>
    public StatsSample Read(string cgroupsPath, int initPid)
    {
        var cgroup = CgroupManagerFactory.Create(cgroupsPath, layout).GetStats();
        var (systemCpu, onlineCpus) = HostCpu.Parse(File.ReadAllText(Path.Combine(procRoot, "stat")));
        return new StatsSample(_time.GetUtcNow(), cgroup, systemCpu, onlineCpus, ReadNetworks(initPid));
    }

    private IReadOnlyDictionary<string, NetworkInterfaceStats> ReadNetworks(int initPid)
    {
        if (initPid <= 0) return new Dictionary<string, NetworkInterfaceStats>();
        var file = Path.Combine(procRoot, initPid.ToString(CultureInfo.InvariantCulture), "net", "dev");
        try
        {
            return NetDev.Parse(File.ReadAllText(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The init exited between the caller's look-up and this read.
            return new Dictionary<string, NetworkInterfaceStats>();
        }
    }
}
