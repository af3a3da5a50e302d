using Berth.Engine.Containers.Model;
using Berth.Oci.Image;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// Everything <see cref="SpecBuilder"/> turns into a container's config.json. The paths are the daemon's (host side);
/// the engine has written the three files and prepared the rootfs before it asks for the spec.
/// </summary>
public sealed record SpecInput
{
    public required string ContainerId { get; init; }
    public required ContainerConfig Config { get; init; }
    public required HostConfig HostConfig { get; init; }

    /// <summary>The image's execution defaults; null for a container without an image config.</summary>
    public ImageRuntimeConfig? Image { get; init; }

    /// <summary>The container's root filesystem (the mounted snapshot), absolute.</summary>
    public required string RootfsPath { get; init; }

    /// <summary>Cgroup path as the runtime takes it (<c>/berth/&lt;id&gt;</c>).</summary>
    public required string CgroupsPath { get; init; }

    /// <summary>Host files bind-mounted onto /etc/hostname, /etc/hosts and /etc/resolv.conf; null leaves the image's file.</summary>
    public string? HostnamePath { get; init; }
    public string? HostsPath { get; init; }
    public string? ResolvConfPath { get; init; }

    /// <summary>
    /// A host directory bind-mounted on /dev/shm: the tmpfs of a shareable IPC (the container's own, or the one it
    /// joins), or the host's /dev/shm for <c>--ipc host</c>; null gives the container its own tmpfs (none for <c>--ipc none</c>).
    /// </summary>
    public string? ShmPath { get; init; }

    /// <summary>The init binary (docker-init/tini) on the host; required when <see cref="Model.HostConfig.Init"/> is set.</summary>
    public string? InitPath { get; init; }

    /// <summary>For <c>container:&lt;id&gt;</c> network mode: the other container's <c>/proc/&lt;pid&gt;/ns/net</c>.</summary>
    public string? NetworkNamespacePath { get; init; }

    /// <summary>
    /// The hostname when the engine decides it (Docker gives a <c>container:&lt;id&gt;</c> container the other one's);
    /// null applies <see cref="ContainerHostname.Of"/>.
    /// </summary>
    public string? Hostname { get; init; }

    /// <summary>For <c>--ipc container:&lt;id&gt;</c>: the other container's <c>/proc/&lt;pid&gt;/ns/ipc</c>.</summary>
    public string? IpcNamespacePath { get; init; }

    /// <summary>For <c>--pid container:&lt;id&gt;</c>: the other container's <c>/proc/&lt;pid&gt;/ns/pid</c>.</summary>
    public string? PidNamespacePath { get; init; }

    /// <summary>The container's binds, volumes (their host paths) and tmpfs mounts, resolved at create.</summary>
    public IReadOnlyList<MountPoint> Mounts { get; init; } = [];

    /// <summary>The facts of the machine the spec is built for.</summary>
    public SpecHost Host { get; init; } = SpecHost.Current;
}
