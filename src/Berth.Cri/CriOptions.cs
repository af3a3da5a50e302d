namespace Berth.Cri;

/// <summary>What the CRI server needs from the daemon's configuration.</summary>
public sealed record CriOptions
{
    public const string DefaultSocket = "/run/berth/cri.sock";

    /// <summary>Where image layers live, as <c>ImageFsInfo</c> reports it (the snapshotter's directory).</summary>
    public required string ImageFilesystem { get; init; }

    /// <summary>The <c>berth-runtime</c> binary: its <c>infra</c> command is each pod's infra process.</summary>
    public required string RuntimePath { get; init; }
}
