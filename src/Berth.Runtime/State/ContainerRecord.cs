using Berth.Oci.Runtime;

namespace Berth.Runtime.State;

/// <summary>What the runtime remembers of a container between its commands (<c>state.json</c>).</summary>
public sealed class ContainerRecord
{
    public string Id { get; set; } = "";
    public int Pid { get; set; }
    /// <summary>The init's start time in clock ticks (/proc/PID/stat field 22): tells a reused pid from ours.</summary>
    public ulong PidStartTime { get; set; }
    public string Bundle { get; set; } = "";
    public string Rootfs { get; set; } = "";
    public DateTime Created { get; set; }
    public string Owner { get; set; } = "";
    public string CgroupsPath { get; set; } = "";
    /// <summary>True when the container has its own PID namespace: killing its init then kills everything in it.</summary>
    public bool OwnPidNamespace { get; set; }
    /// <summary>The bundle's config.json as it was at create; kept verbatim in state.json.</summary>
    public byte[] Config { get; set; } = "{}"u8.ToArray();

    public Spec Spec => _spec ??= SpecReader.Read(Config);

    private Spec? _spec;

    public Oci.Runtime.State ToOciState(string status) => new()
    {
        Id = Id,
        Pid = status == ContainerStatus.Stopped ? 0 : Pid,
        Status = status,
        Bundle = Bundle,
        Rootfs = Rootfs,
        Created = Created,
        Owner = Owner,
        Annotations = Spec.Annotations,
    };
}
