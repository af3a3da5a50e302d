namespace Berth.Runtime.Cgroups;

/// <summary>One mounted cgroup v1 hierarchy: where it is and what it holds (e.g. "cpu", "cpu"+"cpuacct", or the
/// controller-less "name=systemd").</summary>
public sealed class CgroupHierarchy
{
    public CgroupHierarchy(string mountPoint, IReadOnlyList<string> controllers, string? name = null)
    {
        if (controllers.Count == 0 && name is null)
            throw new ArgumentException("a cgroup v1 hierarchy has controllers or a name", nameof(controllers));
        MountPoint = mountPoint;
        Controllers = controllers;
        Name = name;
    }

    /// <summary>e.g. /sys/fs/cgroup/memory</summary>
    public string MountPoint { get; }

    /// <summary>The controllers bound to this hierarchy, e.g. ["cpu", "cpuacct"]; empty for a named hierarchy.</summary>
    public IReadOnlyList<string> Controllers { get; }

    /// <summary>The name of a named hierarchy (name=systemd → "systemd"), else null.</summary>
    public string? Name { get; }

    /// <summary>The -o data to mount this hierarchy again, e.g. inside a container: "cpu,cpuacct" or "name=systemd".</summary>
    public string MountOptions =>
        string.Join(',', Name is null ? Controllers : Controllers.Append("name=" + Name));

    public bool Has(string controller) => Controllers.Contains(controller, StringComparer.Ordinal);

    public override string ToString() => $"{MountOptions} at {MountPoint}";
}
