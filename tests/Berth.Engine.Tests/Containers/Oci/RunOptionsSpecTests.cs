using Berth.Engine.Containers.Model;
using Berth.Engine.Containers.Oci;
using Berth.Engine.System;
using Berth.Oci.Runtime;

namespace Berth.Engine.Tests.Containers.Oci;

/// <summary>
/// The IPC and cgroup namespace modes, <c>--cgroup-parent</c>, <c>--device</c>, <c>--device-cgroup-rule</c>,
/// <c>--oom-kill-disable</c> and the blkio device limits as the spec carries them, with moby's errors and warnings.
/// </summary>
public sealed class RunOptionsSpecTests : IDisposable
{
    private readonly OciFixture _fx = new();

    private static readonly LinuxDevice Null = new() { Path = "/dev/null", Type = "c", Major = 1, Minor = 3, FileMode = 0x1b6, Uid = 0, Gid = 0 };

    private static string Namespaces(Spec s) => string.Join(' ', s.Linux!.Namespaces!.Select(n => n.Path is null ? n.Type : $"{n.Type}={n.Path}"));

    [Fact]
    public void Ipc_modes_choose_the_namespace_and_dev_shm()
    {
        Assert.Equal("mount network uts pid ipc cgroup", Namespaces(_fx.Build(host: new HostConfig { IpcMode = "shareable" })));

        var host = SpecBuilder.Build(_fx.Input(host: new HostConfig { IpcMode = "host" }) with { ShmPath = "/dev/shm" });
        Assert.Equal("mount network uts pid cgroup", Namespaces(host));
        Assert.Equal("bind /dev/shm", Shm(host));

        var joined = SpecBuilder.Build(_fx.Input(host: new HostConfig { IpcMode = "container:" + OciFixture.Id }) with
        {
            ShmPath = "/data/containers/x/mounts/shm", IpcNamespacePath = "/proc/42/ns/ipc",
        });
        Assert.Equal("mount network uts pid ipc=/proc/42/ns/ipc cgroup", Namespaces(joined));
        Assert.Equal("bind /data/containers/x/mounts/shm", Shm(joined));

        var none = _fx.Build(host: new HostConfig { IpcMode = "none" });
        Assert.Contains("ipc", Namespaces(none));
        Assert.DoesNotContain(none.Mounts!, m => m.Destination == "/dev/shm");
        Assert.Equal("tmpfs shm", Shm(_fx.Build()));
    }

    [Fact]
    public void Invalid_namespace_modes_are_refused_with_dockers_messages()
    {
        Assert.Equal("invalid IPC mode: bogus", OciFixture.Invalid(() => _fx.Build(host: new HostConfig { IpcMode = "bogus" })).Message);
        Assert.Equal("invalid IPC mode: container:", OciFixture.Invalid(() => _fx.Build(host: new HostConfig { IpcMode = "container:" })).Message);
        Assert.Equal("invalid cgroup namespace mode: shared",
            OciFixture.Invalid(() => _fx.Build(host: new HostConfig { CgroupnsMode = "shared" })).Message);
    }

    [Fact]
    public void The_cgroup_namespace_follows_its_mode_and_otherwise_the_hosts_cgroup_version()
    {
        var v1 = _fx.Input() with { Host = OciFixture.Host with { UnifiedCgroups = false } };
        Assert.DoesNotContain("cgroup", Namespaces(SpecBuilder.Build(v1)));
        Assert.EndsWith("cgroup", Namespaces(SpecBuilder.Build(v1 with { HostConfig = new HostConfig { CgroupnsMode = "private" } })));
        Assert.DoesNotContain("cgroup", Namespaces(_fx.Build(host: new HostConfig { CgroupnsMode = "host" })));
    }

    [Fact]
    public void The_cgroup_parent_prefixes_the_containers_cgroup()
    {
        Assert.Equal("/berth/abc", SpecBuilder.CgroupsPathOf(new HostConfig(), "abc"));
        Assert.Equal("/batch/jobs/abc", SpecBuilder.CgroupsPathOf(new HostConfig { CgroupParent = "/batch/jobs/" }, "abc"));
        Assert.Equal("batch/abc", SpecBuilder.CgroupsPathOf(new HostConfig { CgroupParent = "batch" }, "abc"));
    }

    [Fact]
    public void A_device_is_created_where_asked_and_allowed_with_its_permissions()
    {
        var input = _fx.Input(host: new HostConfig
        {
            Devices = [new DeviceMapping("/dev/null", "/dev/mynull", "rw")],
            DeviceCgroupRules = ["c 42:* rmw", "b *:* m"],
        }) with { Host = OciFixture.Host with { DevicesAt = (host, container) => [Copy(Null, container)] } };

        var spec = SpecBuilder.Build(input);

        var node = Assert.Single(spec.Linux!.Devices!);
        Assert.Equal(("/dev/mynull", "c", 1L, 3L), (node.Path, node.Type, node.Major, node.Minor));
        var rules = spec.Linux.Resources!.Devices!.Select(r => $"{r.Allow} {r.Type} {r.Major}:{r.Minor} {r.Access}").ToList();
        Assert.Equal(["True c 1:3 rw", "True c 42:-1 rmw", "True b -1:-1 m"], rules[^3..]);
        Assert.Equal("False  : rwm", rules[0]); // deny everything first, as Docker's defaults
    }

    [Fact]
    public void A_privileged_container_keeps_allow_all_and_maps_only_renamed_devices()
    {
        var input = _fx.Input(host: new HostConfig
        {
            Privileged = true,
            Devices = [new DeviceMapping("/dev/null", "/dev/null", "r"), new DeviceMapping("/dev/null", "/dev/other", "r")],
            DeviceCgroupRules = ["c 1:3 r"],
        }) with { Host = OciFixture.Host with { DevicesAt = (_, container) => [Copy(Null, container)] } };

        var spec = SpecBuilder.Build(input);

        Assert.Equal(["/dev/sda", "/dev/other"], spec.Linux!.Devices!.Select(d => d.Path));
        Assert.Equal("True  : rwm", spec.Linux.Resources!.Devices!.Select(r => $"{r.Allow} {r.Type} {r.Major}:{r.Minor} {r.Access}").Single());
    }

    [Theory]
    [InlineData("c 1:3")]
    [InlineData("x 1:3 rwm")]
    [InlineData("c 1:3 rwmx")]
    [InlineData("c 1:3 rwm\n")]
    public void A_malformed_device_cgroup_rule_is_refused(string rule)
    {
        Assert.Equal($"invalid device cgroup rule format: '{rule}'",
            OciFixture.Invalid(() => SpecBuilder.Validate(_fx.Input(host: new HostConfig { DeviceCgroupRules = [rule] }))).Message);
    }

    [Fact]
    public void A_missing_device_fails_with_mobys_text()
    {
        var e = OciFixture.Invalid(() => CustomDevices.FromPath("/dev/berth-no-such-device", "/dev/x"));
        Assert.Equal("error gathering device information while adding custom device \"/dev/berth-no-such-device\": no such file or directory", e.Message);
        Assert.Equal("error gathering device information while adding custom device \"/etc/hostname\": not a device node",
            OciFixture.Invalid(() => CustomDevices.FromPath("/etc/hostname", "/dev/x")).Message);
    }

    [Fact]
    public void The_real_dev_null_is_a_character_device_1_3()
    {
        var node = Assert.Single(CustomDevices.FromPath("/dev/null", "/dev/mynull"));
        Assert.Equal(("/dev/mynull", "c", 1L, 3L), (node.Path, node.Type, node.Major, node.Minor));
    }

    [Fact]
    public void A_gpu_request_fails_as_on_a_docker_host_without_a_device_driver()
    {
        var host = new HostConfig { DeviceRequests = [new DeviceRequest { Count = -1, Capabilities = [["gpu"]] }] };
        Assert.Equal("could not select device driver \"\" with capabilities: [[gpu]]", OciFixture.Invalid(() => _fx.Build(host: host)).Message);
    }

    [Fact]
    public void Oom_kill_disable_and_blkio_device_limits_reach_the_spec()
    {
        var resources = new Resources
        {
            OomKillDisable = true, Memory = 64 << 20,
            BlkioWeightDevice = [new WeightDevice("/dev/vda", 200)],
            BlkioDeviceReadBps = [new ThrottleDevice("/dev/vda", 1048576)],
            BlkioDeviceWriteIOps = [new ThrottleDevice("/dev/vda", 100)],
        };
        var input = _fx.Input(host: new HostConfig { Resources = resources }) with
        {
            Host = OciFixture.Host with { DeviceNumber = path => path == "/dev/vda" ? (254, 0) : throw new InvalidOperationException(path) },
        };

        var spec = SpecBuilder.Build(input).Linux!.Resources!;

        Assert.True(spec.Memory!.DisableOOMKiller);
        Assert.Equal((254L, 0L, (ushort?)200), (spec.BlockIO!.WeightDevice![0].Major, spec.BlockIO.WeightDevice[0].Minor, spec.BlockIO.WeightDevice[0].Weight));
        Assert.Equal(1048576UL, Assert.Single(spec.BlockIO.ThrottleReadBpsDevice!).Rate);
        Assert.Equal(100UL, Assert.Single(spec.BlockIO.ThrottleWriteIOPSDevice!).Rate);
        Assert.Null(spec.BlockIO.ThrottleWriteBpsDevice);
    }

    [Fact]
    public void Device_limits_and_oom_kill_disable_the_host_lacks_are_discarded_with_mobys_warnings()
    {
        var none = KernelFeatures.All with
        {
            OomKillDisable = false, BlkioWeightDevice = false, BlkioReadBpsDevice = false, BlkioWriteBpsDevice = false,
            BlkioReadIOpsDevice = false, BlkioWriteIOpsDevice = false,
        };
        ThrottleDevice[] vda = [new("/dev/vda", 1)];
        var warnings = new List<string>();

        var r = UnsupportedResources.Discard(new Resources
        {
            OomKillDisable = true, BlkioWeightDevice = [new WeightDevice("/dev/vda", 200)],
            BlkioDeviceReadBps = vda, BlkioDeviceWriteBps = vda, BlkioDeviceReadIOps = vda, BlkioDeviceWriteIOps = vda,
        }, none, warnings);

        Assert.Null(r.OomKillDisable);
        Assert.Empty(r.BlkioWeightDevice.Concat<object>(r.BlkioDeviceReadBps).Concat(r.BlkioDeviceWriteBps).Concat(r.BlkioDeviceReadIOps).Concat(r.BlkioDeviceWriteIOps));
        Assert.Equal([
            "Your kernel does not support OomKillDisable. OomKillDisable discarded.",
            "Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.",
            "Your kernel does not support BPS Block I/O read limit or the cgroup is not mounted. Block I/O BPS read limit discarded.",
            "Your kernel does not support BPS Block I/O write limit or the cgroup is not mounted. Block I/O BPS write limit discarded.",
            "Your kernel does not support IOPS Block read limit or the cgroup is not mounted. Block I/O IOPS read limit discarded.",
            "Your kernel does not support IOPS Block write limit or the cgroup is not mounted. Block I/O IOPS write limit discarded.",
        ], warnings);
    }

    [Fact]
    public void Disabling_the_oom_killer_without_a_memory_limit_is_warned_about()
    {
        var warnings = new List<string>();
        UnsupportedResources.Discard(new Resources { OomKillDisable = true }, KernelFeatures.All, warnings);
        Assert.Equal(["OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources."], warnings);
    }

    [Fact]
    public void Apparmor_and_selinux_options_are_ignored_on_a_host_without_them()
    {
        var options = SecurityOptions.Parse(["apparmor=docker-default", "label=type:svirt_t"], OciFixture.Host with { AppArmor = false, SeLinux = false });
        Assert.Null(options.SeccompProfile);
    }

    private static string Shm(Spec spec)
    {
        var shm = spec.Mounts!.Single(m => m.Destination == "/dev/shm");
        return $"{shm.Type} {shm.Source}";
    }

    private static LinuxDevice Copy(LinuxDevice d, string path) =>
        new() { Path = path, Type = d.Type, Major = d.Major, Minor = d.Minor, FileMode = d.FileMode, Uid = d.Uid, Gid = d.Gid };

    public void Dispose() => _fx.Dispose();
}
