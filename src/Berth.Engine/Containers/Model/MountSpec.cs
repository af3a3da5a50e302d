namespace Berth.Engine.Containers.Model;

/// <summary>
/// One entry of Docker's <c>HostConfig.Mounts</c> (<c>--mount</c>), kept as asked so inspect echoes it; the options
/// record of a type other than <see cref="Type"/> is refused at create, as moby refuses it.
/// </summary>
public sealed record MountSpec
{
    /// <summary><c>bind</c>, <c>volume</c> or <c>tmpfs</c>.</summary>
    public string Type { get; init; } = "";
    public string Source { get; init; } = "";
    public string Target { get; init; } = "";
    public bool ReadOnly { get; init; }
    public string Consistency { get; init; } = "";
    public MountBindOptions? BindOptions { get; init; }
    public MountVolumeOptions? VolumeOptions { get; init; }
    public MountTmpfsOptions? TmpfsOptions { get; init; }
}

/// <summary><c>BindOptions</c>: the bind's propagation, whether submounts come along, whether a missing source is made.</summary>
public sealed record MountBindOptions
{
    public string Propagation { get; init; } = "";
    public bool NonRecursive { get; init; }
    public bool CreateMountpoint { get; init; }
}

/// <summary><c>VolumeOptions</c>: what a volume that does not exist yet is created with, and whether it is filled from the image.</summary>
public sealed record MountVolumeOptions
{
    public bool NoCopy { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string DriverName { get; init; } = "";
    public IReadOnlyDictionary<string, string> DriverOptions { get; init; } = new Dictionary<string, string>();
}

/// <summary><c>TmpfsOptions</c>: the tmpfs's size and permissions.</summary>
public sealed record MountTmpfsOptions
{
    public long SizeBytes { get; init; }
    /// <summary>Permission bits (Go's os.FileMode); 0 leaves the tmpfs default.</summary>
    public uint Mode { get; init; }
}
