using Berth.Engine.Containers.Model;
using Berth.Engine.Containers.Oci;
using Berth.Oci.Image;
using Berth.Oci.Runtime;

namespace Berth.Engine.Tests.Containers.Oci;

/// <summary>A temp rootfs with an image's passwd and group files, and a fixed host (amd64, kernel 6.1, 4 CPUs, cgroup v2).</summary>
public sealed class OciFixture : IDisposable
{
    public const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public string Root { get; } = Directory.CreateTempSubdirectory("berth-oci-").FullName;
    public string Rootfs => Path.Combine(Root, "rootfs");

    public static readonly SpecHost Host = new()
    {
        Cpus = 4, Kernel = new KernelVersion(6, 1), LastCapability = 40, Architecture = "amd64", Hostname = "hostbox",
        UnifiedCgroups = true, SysctlExists = _ => true,
        Devices = () => [new LinuxDevice { Path = "/dev/sda", Type = "b", Major = 8, Minor = 0, FileMode = 0x1b0, Uid = 0, Gid = 6 }],
    };

    public OciFixture()
    {
        Write("etc/passwd", """
            root:x:0:0:root:/root:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            app:x:1000:1000:App:/home/app:/bin/sh
            www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
            """);
        Write("etc/group", """
            root:x:0:
            daemon:x:1:
            tty:x:5:
            audio:x:29:app
            video:x:44:app,www-data
            www-data:x:33:
            app:x:1000:
            docker:x:999:
            """);
    }

    public void Write(string relative, string content)
    {
        var path = Path.Combine(Rootfs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public SpecInput Input(ContainerConfig? config = null, HostConfig? host = null, ImageRuntimeConfig? image = null) => new()
    {
        ContainerId = Id,
        Config = config ?? new ContainerConfig { Image = "busybox", Cmd = ["sh"] },
        HostConfig = host ?? new HostConfig(),
        Image = image,
        RootfsPath = Rootfs,
        CgroupsPath = "/berth/" + Id,
        HostnamePath = Path.Combine(Root, "hostname"),
        HostsPath = Path.Combine(Root, "hosts"),
        ResolvConfPath = Path.Combine(Root, "resolv.conf"),
        InitPath = "/usr/libexec/berth/docker-init",
        Host = Host,
    };

    public Spec Build(ContainerConfig? config = null, HostConfig? host = null, ImageRuntimeConfig? image = null) =>
        SpecBuilder.Build(Input(config, host, image));

    public static EngineException Invalid(Action action)
    {
        var e = Assert.Throws<EngineException>(action);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        return e;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
