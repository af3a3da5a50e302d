namespace Berth.Testing;

/// <summary>
/// This host's cgroup mode as tests see it, decided independently of the code under test: a cgroup2 root has
/// cgroup.controllers at /sys/fs/cgroup (v2); otherwise there are v1 controller hierarchies, with systemd's empty
/// cgroup2 at /sys/fs/cgroup/unified on a hybrid host.
/// </summary>
public static class HostCgroups
{
    private const string Root = "/sys/fs/cgroup";

    public static bool IsV2 { get; } = File.Exists(Path.Join(Root, "cgroup.controllers"));

    public static string Mode => IsV2 ? "v2" : Directory.Exists(Path.Join(Root, "unified")) ? "hybrid" : "v1";

    /// <summary>A controller's file as a container sees it: /sys/fs/cgroup/&lt;controller&gt;/&lt;v1 file&gt; on v1 and hybrid
    /// hosts (the runtime mounts one hierarchy per controller), /sys/fs/cgroup/&lt;v2 file&gt; on v2.</summary>
    public static string ContainerFile(string controller, string v1File, string v2File) =>
        IsV2 ? $"{Root}/{v2File}" : $"{Root}/{controller}/{v1File}";

    /// <summary>A controller's file of the cgroup at <paramref name="cgroupPath"/> on the host.</summary>
    public static string HostFile(string cgroupPath, string controller, string v1File, string v2File) =>
        IsV2 ? Path.Join(Root, cgroupPath.TrimStart('/'), v2File) : Path.Join(Root, controller, cgroupPath.TrimStart('/'), v1File);

    /// <summary>The directories of the cgroup at <paramref name="cgroupPath"/> that exist, in every hierarchy (each v1
    /// hierarchy, the unified one, or the v2 root).</summary>
    public static IReadOnlyList<string> ExistingDirectories(string cgroupPath) =>
        Directory.EnumerateDirectories(Root).Append(Root)
            .Select(root => Path.Join(root, cgroupPath.TrimStart('/'))).Where(Directory.Exists).ToList();

    /// <summary>The block I/O weight file a container's cgroup has, relative to the container's /sys/fs/cgroup, or null
    /// when this host's scheduler offers none (neither CFQ's nor BFQ's weight, no io.weight on v2).</summary>
    public static string? BlkioWeightFile()
    {
        if (!IsV2)
            return new[] { "blkio.weight", "blkio.bfq.weight" }.Where(f => File.Exists(Path.Join(Root, "blkio", f))).Select(f => "blkio/" + f).FirstOrDefault();
        // The v2 root has no weight files: look at the cgroups below it that have the io controller.
        return Directory.EnumerateDirectories(Root)
            .SelectMany(dir => new[] { "io.bfq.weight", "io.weight" }.Where(f => File.Exists(Path.Join(dir, f))))
            .FirstOrDefault();
    }
}
