namespace Berth.Testing;

/// <summary>Where the repository, its published binaries and the test root filesystems are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The NativeAOT binaries published by <c>scripts/build.sh</c> to artifacts/native (override with BERTH_BIN).</summary>
    public static string Bin => Environment.GetEnvironmentVariable("BERTH_BIN") ?? Path.Combine(Root, "artifacts", "native");

    public static string Runtime => Path.Combine(Bin, "berth-runtime");

    public static string Shim => Path.Combine(Bin, "berth-shim");

    /// <summary>The <c>berth</c> CLI.</summary>
    public static string Cli => Path.Combine(Bin, "berth");

    /// <summary>berthd: the NativeAOT one scripts/build.sh publishes, else the solution build's (Release, then Debug).</summary>
    public static string Daemon =>
        new[] { Path.Combine(Bin, "berthd") }
            .Concat(new[] { "release", "debug" }.Select(c => Path.Combine(Root, "artifacts", "bin", "Berth.Daemon", c, "berthd")))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("berthd is not built: run scripts/build.sh");

    /// <summary>berth-registry as the solution build left it.</summary>
    public static string Registry =>
        new[] { "release", "debug" }.Select(c => Path.Combine(Root, "artifacts", "bin", "Berth.Registry", c, "berth-registry")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("berth-registry is not built: run scripts/build.sh");

    /// <summary>A busybox root filesystem made by <c>scripts/make-busybox-rootfs.sh</c> (override with BERTH_BUSYBOX_ROOTFS).</summary>
    public static string BusyboxRootfs =>
        Environment.GetEnvironmentVariable("BERTH_BUSYBOX_ROOTFS") ?? Path.Combine(Root, "artifacts", "rootfs", "busybox");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("Berth.slnx not found above " + AppContext.BaseDirectory);
    }
}
