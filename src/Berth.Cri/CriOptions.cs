using System.Net;

namespace Berth.Cri;

/// <summary>What the CRI server needs from the daemon's configuration.</summary>
public sealed record CriOptions
{
    public const string DefaultSocket = "/run/berth/cri.sock";

    /// <summary>Where image layers live, as <c>ImageFsInfo</c> reports it (the snapshotter's directory).</summary>
    public required string ImageFilesystem { get; init; }

    /// <summary>The <c>berth-runtime</c> binary: its <c>infra</c> command is each pod's infra process.</summary>
    public required string RuntimePath { get; init; }

    /// <summary>Where the CRI keeps what is its own (pods' CNI results), under the data root.</summary>
    public required string StateDirectory { get; init; }

    public const string DefaultCniConfDirectory = "/etc/cni/net.d";
    public const string DefaultCniBinDirectory = "/usr/lib/cni";

    /// <summary>The CNI configuration pods are networked with (the first file in name order), as kubelet's runtimes read it.</summary>
    public string CniConfDirectory { get; init; } = DefaultCniConfDirectory;

    /// <summary>Where the CNI plugins' executables are (Debian's containernetworking-plugins install them here).</summary>
    public string CniBinDirectory { get; init; } = DefaultCniBinDirectory;

    /// <summary>Where the streaming server (exec, attach, port-forward URLs) listens: the node's loopback, on a port the kernel picks, as containerd's default.</summary>
    public static readonly IPEndPoint DefaultStreamAddress = new(IPAddress.Loopback, 0);

    public IPEndPoint StreamAddress { get; init; } = DefaultStreamAddress;
}
