using Berth.Linux;
using Berth.Oci.Runtime;
using OciLinux = Berth.Oci.Runtime.Linux;

namespace Berth.Runtime.Rootfs;

/// <summary>What is applied after pivot_root, inside the container's own root: sysctls, masked and read-only paths, a read-only /.</summary>
public static class PathRestrictions
{
    public static void Apply(Spec spec)
    {
        var linux = spec.Linux ?? new OciLinux();
        foreach (var (key, value) in linux.Sysctl ?? [])
            File.WriteAllText("/proc/sys/" + key.Replace('.', '/'), value);
        foreach (var path in linux.ReadonlyPaths ?? []) MakeReadonly(path);
        foreach (var path in linux.MaskedPaths ?? []) Mask(path);
        if (spec.Root?.Readonly == true)
        {
            var keep = Mounts.GetFlags("/") & (MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
            Mounts.Mount(null, "/", null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | keep, null, "remount / read-only");
        }
    }

    /// <summary>Hides a path: /dev/null over a file, an empty read-only tmpfs over a directory. Absent paths are fine.</summary>
    public static void Mask(string path)
    {
        if (Directory.Exists(path))
            Mounts.Mount("tmpfs", path, "tmpfs", MountFlags.ReadOnly, null, $"mask {path}");
        else if (Path.Exists(path))
            Mounts.Mount("/dev/null", path, null, MountFlags.Bind, null, $"mask {path}");
    }

    /// <summary>Bind-mounts a path onto itself and remounts it read-only, keeping the flags it had. Absent paths are fine.</summary>
    public static void MakeReadonly(string path)
    {
        if (!Path.Exists(path)) return;
        Mounts.Mount(path, path, null, MountFlags.Bind | MountFlags.Rec, null, $"bind {path}");
        var keep = Mounts.GetFlags(path) & (MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
        Mounts.Mount(path, path, null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly | keep, null, $"remount {path} read-only");
    }
}
