using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Rootfs;

/// <summary>The /dev every container gets (runc's default set) and the spec's extra devices, made with mknod inside the root.</summary>
public sealed class DeviceNodes(RootDirectory root)
{
    private const uint ReadWriteAll = 0b110_110_110;

    private static readonly (string Name, long Major, long Minor)[] Defaults =
    [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ];

    private static readonly (string Name, string Target)[] Links =
    [
        ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"),
    ];

    public void CreateDefaults()
    {
        using var dev = root.OpenDirectory("/dev");
        foreach (var (name, major, minor) in Defaults)
            MakeNode(dev, name, Devices.CharDevice | ReadWriteAll, major, minor);
        foreach (var (name, target) in Links) FileDescriptors.SymlinkAt(target, dev, name);
        if (File.Exists("/proc/kcore")) FileDescriptors.SymlinkAt("/proc/kcore", dev, "core");
        // /dev/ptmx must be the container's own devpts instance, not a host node.
        if (root.TryOpen("/dev/pts/ptmx") is { } ptmx)
        {
            ptmx.Dispose();
            if (root.TryOpen("/dev/ptmx") is { } old) old.Dispose();
            else FileDescriptors.SymlinkAt("pts/ptmx", dev, "ptmx");
        }
    }

    public void Create(IEnumerable<LinuxDevice> devices)
    {
        foreach (var device in devices)
        {
            var type = device.Type switch
            {
                "c" or "u" => Devices.CharDevice,
                "b" => Devices.BlockDevice,
                "p" => Devices.Fifo,
                _ => throw new RuntimeException($"device {device.Path}: unknown type \"{device.Type}\""),
            };
            var parent = Path.GetDirectoryName(device.Path) ?? "/";
            using var dir = root.OpenDirectory(parent);
            var name = Path.GetFileName(device.Path);
            MakeNode(dir, name, type | (device.FileMode ?? ReadWriteAll) & 0xfff, device.Major, device.Minor);
            if (device.Uid is not null || device.Gid is not null)
            {
                using var node = root.TryOpen(device.Path) ?? throw new RuntimeException($"device {device.Path} vanished");
                FileDescriptors.ChownFd(node, device.Uid ?? 0, device.Gid ?? 0, device.Path);
            }
        }
    }

    private static void MakeNode(Microsoft.Win32.SafeHandles.SafeFileHandle dir, string name, uint mode, long major, long minor)
    {
        try
        {
            FileDescriptors.MknodAt(dir, name, mode, Devices.MakeDev(major, minor));
        }
        catch (LinuxException e) when (e.Errno == Errno.EEXIST)
        {
        }
    }
}
