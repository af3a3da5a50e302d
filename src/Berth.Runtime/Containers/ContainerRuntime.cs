using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.State;

namespace Berth.Runtime.Containers;

/// <summary>
/// The OCI runtime's operations over its state directory: create, start, state, kill, delete, exec, pause, resume.
/// Each call is one short-lived process's work (runc's model): nothing is kept in memory between calls.
/// </summary>
public sealed partial class ContainerRuntime(RuntimeOptions options) : IOciRuntime
{
    private readonly StateStore _store = new(options.Root);
    private readonly Lazy<CgroupLayout> _cgroupLayout = new(() => CgroupLayout.Detect());

    public StateStore Store => _store;

    public (ContainerRecord Record, string Status) Load(string id)
    {
        var record = _store.Load(id);
        return (record, StatusOf(record));
    }

    int IOciRuntime.Create(CreateRequest request) => Create(request).Pid;

    string IOciRuntime.Status(string id) => Load(id).Status;

    public Oci.Runtime.State GetState(string id)
    {
        var (record, status) = Load(id);
        return record.ToOciState(status);
    }

    public IEnumerable<Oci.Runtime.State> List()
    {
        foreach (var id in _store.ListIds())
        {
            ContainerRecord record;
            try
            {
                record = _store.Load(id);
            }
            catch (ContainerNotFoundException)
            {
                continue; // deleted meanwhile
            }
            yield return record.ToOciState(StatusOf(record));
        }
    }

    public IReadOnlyList<int> Pids(string id)
    {
        var (record, _) = Load(id);
        return Cgroup(record).GetPids();
    }

    /// <summary>Whether the OOM killer has killed a process of the container (read before <see cref="Delete"/>).</summary>
    public bool OomKilled(string id)
    {
        var (record, _) = Load(id);
        return Cgroup(record).GetStats().Memory.OomKills > 0;
    }

    private string StatusOf(ContainerRecord record)
    {
        if (!ProcStat.IsAlive(record.Pid, record.PidStartTime)) return ContainerStatus.Stopped;
        if (File.Exists(_store.ExecFifo(record.Id))) return ContainerStatus.Created;
        return Cgroup(record).IsFrozen() ? ContainerStatus.Paused : ContainerStatus.Running;
    }

    private ICgroupManager Cgroup(ContainerRecord record) => CgroupManagerFactory.Create(record.CgroupsPath, _cgroupLayout.Value);

    public static string DefaultCgroupsPath(string id) => "/berth/" + id;
}
