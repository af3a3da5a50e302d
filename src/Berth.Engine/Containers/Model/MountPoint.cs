namespace Berth.Engine.Containers.Model;

/// <summary>
/// What is mounted where in a container, resolved at create from <c>Binds</c>, <c>Mounts</c>, <c>VolumesFrom</c> and
/// the image's and config's <c>Volumes</c> (Docker's <c>MountPoint</c>); inspect's <c>Mounts</c> shows these.
/// </summary>
public sealed record MountPoint
{
    /// <summary><c>bind</c>, <c>volume</c> or <c>tmpfs</c>.</summary>
    public required string Type { get; init; }
    /// <summary>The volume's name (<c>volume</c> only).</summary>
    public string Name { get; init; } = "";
    /// <summary>The host path: the bind's source or the volume's mount point; empty for a tmpfs.</summary>
    public string Source { get; init; } = "";
    public required string Destination { get; init; }
    public string Driver { get; init; } = "";
    /// <summary>The mode string as given (<c>ro</c>, <c>z</c>…), Docker's <c>Mode</c>.</summary>
    public string Mode { get; init; } = "";
    public bool RW { get; init; } = true;
    public string Propagation { get; init; } = "";
    /// <summary>A bind whose source is only bind-mounted, not its submounts.</summary>
    public bool NonRecursive { get; init; }
    /// <summary>A <c>Binds</c> source that does not exist is made as a directory at start (Docker's old behaviour, kept for -v).</summary>
    public bool CreateSource { get; init; }
    /// <summary>The image's content at the destination is copied into the volume at first start, if the volume is empty.</summary>
    public bool CopyData { get; init; }
    /// <summary>A tmpfs's mount data (<c>size=1m,mode=1777</c>).</summary>
    public string TmpfsData { get; init; } = "";
}
