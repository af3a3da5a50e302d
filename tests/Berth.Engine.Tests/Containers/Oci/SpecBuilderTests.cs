using Berth.Engine.Containers.Model;
using Berth.Engine.Containers.Oci;
using Berth.Oci;
using Berth.Oci.Image;
using Berth.Oci.Runtime;
using System.Text.Json;

namespace Berth.Engine.Tests.Containers.Oci;

/// <summary>The spec Docker would hand runc for the same container, field by field.</summary>
public sealed class SpecBuilderTests : IDisposable
{
    private readonly OciFixture _fx = new();

    private static string Describe(Mount m) => $"{m.Destination} {m.Type} {m.Source} {string.Join(',', m.Options ?? [])}";

    [Fact]
    public void Default_container_gets_dockers_process()
    {
        var spec = _fx.Build(new ContainerConfig { Cmd = ["sh", "-c", "true"], Env = ["A=1"] });
        var p = spec.Process!;
        Assert.Equal(["sh", "-c", "true"], p.Args!);
        Assert.Equal(["PATH=" + ContainerProcess.DefaultPath, "HOSTNAME=0123456789ab", "A=1"], p.Env!);
        Assert.Equal("/", p.Cwd);
        Assert.False(p.Terminal);
        Assert.Null(p.ConsoleSize);
        Assert.Equal((0u, 0u), (p.User.Uid, p.User.Gid));
        Assert.Equal(DockerCapabilities.Default, p.Capabilities!.Bounding!);
        Assert.Equal(DockerCapabilities.Default, p.Capabilities.Effective!);
        Assert.Equal(DockerCapabilities.Default, p.Capabilities.Permitted!);
        Assert.Null(p.Capabilities.Inheritable);
        Assert.Null(p.Capabilities.Ambient);
        Assert.False(p.NoNewPrivileges);
        Assert.Equal(0, p.OomScoreAdj);
        Assert.Null(p.Rlimits);
        Assert.Equal("0123456789ab", spec.Hostname);
        Assert.Equal(_fx.Rootfs, spec.Root!.Path);
        Assert.False(spec.Root.Readonly);
        Assert.Equal("/berth/" + OciFixture.Id, spec.Linux!.CgroupsPath);
    }

    [Fact]
    public void Default_mounts_are_dockers_in_dockers_order()
    {
        var spec = _fx.Build(host: new HostConfig { Tmpfs = new Dictionary<string, string> { ["/run"] = "", ["/var/cache/app"] = "size=64m,exec" } });
        Assert.Equal(
        [
            "/proc proc proc nosuid,noexec,nodev",
            "/dev tmpfs tmpfs nosuid,strictatime,mode=755,size=65536k",
            "/dev/pts devpts devpts nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5",
            "/sys sysfs sysfs nosuid,noexec,nodev,ro",
            "/sys/fs/cgroup cgroup cgroup ro,nosuid,noexec,nodev",
            "/dev/mqueue mqueue mqueue nosuid,noexec,nodev",
            "/dev/shm tmpfs shm nosuid,noexec,nodev,mode=1777,size=67108864",
            "/run tmpfs tmpfs noexec,nosuid,nodev,rprivate",
            $"/etc/resolv.conf bind {_fx.Root}/resolv.conf rbind,rprivate",
            $"/etc/hostname bind {_fx.Root}/hostname rbind,rprivate",
            $"/etc/hosts bind {_fx.Root}/hosts rbind,rprivate",
            "/var/cache/app tmpfs tmpfs nosuid,nodev,rprivate,size=64m,exec",
        ], spec.Mounts!.Select(Describe));
    }

    [Fact]
    public void Shm_size_and_a_shared_shm_replace_the_default()
    {
        var sized = _fx.Build(host: new HostConfig { ShmSize = 1 << 30 });
        Assert.Contains("size=1073741824", sized.Mounts!.Single(m => m.Destination == "/dev/shm").Options!);
        var shared = SpecBuilder.Build(_fx.Input() with { ShmPath = "/var/lib/berth/containers/x/shm" });
        Assert.Equal("/dev/shm bind /var/lib/berth/containers/x/shm rbind,rprivate", Describe(shared.Mounts!.Single(m => m.Destination == "/dev/shm")));
    }

    [Fact]
    public void Tmpfs_options_merge_as_docker_does()
    {
        Assert.Equal(["noexec", "nosuid", "nodev", "rprivate"], TmpfsOptions.For(""));
        Assert.Equal(["nosuid", "nodev", "rprivate", "rw", "exec", "size=1g", "mode=1777"], TmpfsOptions.For("rw,exec,size=64m,size=1g,mode=1777"));
        Assert.Equal(["noexec", "nosuid", "nodev", "ro", "shared"], TmpfsOptions.For("ro,shared"));
        Assert.Equal("invalid tmpfs option \"bogus\"", OciFixture.Invalid(() => TmpfsOptions.For("bogus")).Message);
        Assert.Equal("invalid mount config for type \"tmpfs\": invalid mount path: 'run' mount path must be absolute",
            OciFixture.Invalid(() => _fx.Build(host: new HostConfig { Tmpfs = new Dictionary<string, string> { ["run"] = "" } })).Message);
    }

    [Fact]
    public void Readonly_root_makes_the_non_dev_default_mounts_and_the_etc_files_read_only()
    {
        var spec = _fx.Build(host: new HostConfig { ReadonlyRootfs = true, Tmpfs = new Dictionary<string, string> { ["/tmp"] = "" } });
        Assert.True(spec.Root!.Readonly);
        var options = spec.Mounts!.ToDictionary(m => m.Destination, m => m.Options!);
        Assert.DoesNotContain("ro", options["/proc"]);
        Assert.DoesNotContain("ro", options["/dev/shm"]);
        Assert.DoesNotContain("ro", options["/tmp"]);
        Assert.Equal(["rbind", "ro", "rprivate"], options["/etc/hosts"]);
        Assert.Equal(["nosuid", "noexec", "nodev", "ro"], options["/sys"]);
    }

    [Fact]
    public void Masked_and_readonly_paths_are_dockers()
    {
        var linux = SpecBuilder.Build(_fx.Input() with { Host = OciFixture.Host with { ExtraMaskedPaths = ["/sys/devices/system/cpu/cpu0/thermal_throttle"] } }).Linux!;
        Assert.Equal(
        [
            "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi",
            "/proc/timer_list", "/proc/timer_stats", "/sys/devices/virtual/powercap", "/sys/firmware", "/sys/devices/system/cpu/cpu0/thermal_throttle",
        ], linux.MaskedPaths!);
        Assert.Equal(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], linux.ReadonlyPaths!);
    }

    [Fact]
    public void Masked_and_readonly_paths_given_replace_dockers()
    {
        var linux = _fx.Build(host: new HostConfig { MaskedPaths = ["/bin/ls"], ReadonlyPaths = [] }).Linux!;
        Assert.Equal(["/bin/ls"], linux.MaskedPaths!);
        Assert.Empty(linux.ReadonlyPaths!);
    }

    [Fact]
    public void A_shared_bind_makes_the_rootfs_propagation_rshared()
    {
        Assert.Null(_fx.Build().Linux!.RootfsPropagation);
        var bind = new MountPoint { Type = "bind", Source = "/srv", Destination = "/srv", RW = true, Propagation = "rshared" };
        Assert.Equal("rshared", SpecBuilder.Build(_fx.Input() with { Mounts = [bind] }).Linux!.RootfsPropagation);
        Assert.Null(SpecBuilder.Build(_fx.Input() with { Mounts = [bind with { Propagation = "rslave" }] }).Linux!.RootfsPropagation);
    }

    [Fact]
    public void Device_rules_are_dockers_and_no_devices_are_added()
    {
        var linux = _fx.Build().Linux!;
        Assert.Empty(linux.Devices!);
        Assert.Equal(["deny all rwm", "allow c 1:5 rwm", "allow c 1:3 rwm", "allow c 1:9 rwm", "allow c 1:8 rwm", "allow c 5:0 rwm", "allow c 5:1 rwm", "deny c 10:229 rwm"],
            linux.Resources!.Devices!.Select(d => $"{(d.Allow ? "allow" : "deny")} {d.Type ?? "all"}{(d.Major is null ? "" : $" {d.Major}:{d.Minor}")} {d.Access}"));
    }

    [Fact]
    public void Privileged_gets_all_caps_and_devices_no_seccomp_no_masks_and_writable_sys_and_cgroups()
    {
        var spec = _fx.Build(host: new HostConfig { Privileged = true });
        Assert.Equal(41, spec.Process!.Capabilities!.Bounding!.Count);
        Assert.Null(spec.Linux!.Seccomp);
        Assert.Null(spec.Linux.MaskedPaths);
        Assert.Null(spec.Linux.ReadonlyPaths);
        Assert.Equal("/dev/sda", Assert.Single(spec.Linux.Devices!).Path);
        var rule = Assert.Single(spec.Linux.Resources!.Devices!);
        Assert.True(rule.Allow);
        Assert.Equal(("rwm", null), (rule.Access, rule.Type));
        Assert.DoesNotContain("ro", spec.Mounts!.Single(m => m.Destination == "/sys").Options!);
        Assert.DoesNotContain("ro", spec.Mounts!.Single(m => m.Destination == "/sys/fs/cgroup").Options!);
    }

    [Fact]
    public void Namespaces_follow_the_network_mode()
    {
        static string Names(Spec s) => string.Join(' ', s.Linux!.Namespaces!.Select(n => n.Path is null ? n.Type : $"{n.Type}={n.Path}"));
        Assert.Equal("mount network uts pid ipc cgroup", Names(_fx.Build()));
        Assert.Equal("mount uts pid ipc cgroup", Names(_fx.Build(host: new HostConfig { NetworkMode = "host" })));
        var joined = SpecBuilder.Build(_fx.Input(host: new HostConfig { NetworkMode = "container:abc" }) with { NetworkNamespacePath = "/proc/42/ns/net", Hostname = "abc123" });
        Assert.Equal("mount network=/proc/42/ns/net uts pid ipc cgroup", Names(joined));
        Assert.Equal("abc123", joined.Hostname);
        Assert.Equal("mount network uts pid ipc", Names(_fx.Build(host: new HostConfig { CgroupnsMode = "host" })));
        var host = _fx.Build(host: new HostConfig { NetworkMode = "host" });
        Assert.Equal("hostbox", host.Hostname);
        Assert.Contains("HOSTNAME=hostbox", host.Process!.Env!);
    }

    [Fact]
    public void Host_pid_and_uts_modes_share_the_hosts_namespaces()
    {
        var pid = _fx.Build(host: new HostConfig { PidMode = "host" });
        Assert.Equal(["mount", "network", "uts", "ipc", "cgroup"], pid.Linux!.Namespaces!.Select(n => n.Type));

        var joined = SpecBuilder.Build(_fx.Input(host: new HostConfig { PidMode = "container:abc" }) with { PidNamespacePath = "/proc/42/ns/pid" });
        Assert.Equal("/proc/42/ns/pid", joined.Linux!.Namespaces!.Single(n => n.Type == "pid").Path);
        Assert.Equal("invalid PID mode: private", OciFixture.Invalid(() => _fx.Build(host: new HostConfig { PidMode = "private" })).Message);

        var uts = _fx.Build(host: new HostConfig { UtsMode = "host" });
        Assert.Equal(["mount", "network", "pid", "ipc", "cgroup"], uts.Linux!.Namespaces!.Select(n => n.Type));
        Assert.Null(uts.Hostname); // the host's: the runtime must not set it
        Assert.Contains("HOSTNAME=hostbox", uts.Process!.Env!);
        Assert.Equal("conflicting options: hostname and the UTS mode",
            OciFixture.Invalid(() => _fx.Build(new ContainerConfig { Image = "busybox", Cmd = ["sh"], Hostname = "mine" }, new HostConfig { UtsMode = "host" })).Message);
    }

    [Fact]
    public void Sysctls_add_dockers_network_defaults_and_the_domainname_and_refuse_host_ones()
    {
        var spec = _fx.Build(new ContainerConfig { Cmd = ["sh"], Domainname = "example.org" },
            new HostConfig { Sysctls = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1", ["kernel.shmmax"] = "1024" } });
        Assert.Equal(new Dictionary<string, string>
        {
            ["kernel.domainname"] = "example.org", ["net.ipv4.ping_group_range"] = "0 2147483647", ["net.ipv4.ip_unprivileged_port_start"] = "0",
            ["net.ipv4.ip_forward"] = "1", ["kernel.shmmax"] = "1024",
        }, spec.Linux!.Sysctl!);
        Assert.Empty(_fx.Build(host: new HostConfig { NetworkMode = "host" }).Linux!.Sysctl!);

        HostConfig With(string name, string mode = "none") => new() { NetworkMode = mode, Sysctls = new Dictionary<string, string> { [name] = "1" } };
        Assert.Equal("sysctl \"kernel.pid_max\" is not in a separate kernel namespace", OciFixture.Invalid(() => _fx.Build(host: With("kernel.pid_max"))).Message);
        Assert.Equal("sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace",
            OciFixture.Invalid(() => _fx.Build(host: With("net.ipv4.ip_forward", "host"))).Message);
        Assert.Equal("sysctl \"kernel.hostname\" is not allowed as it conflicts with the OCI \"hostname\" field",
            OciFixture.Invalid(() => _fx.Build(host: With("kernel.hostname"))).Message);
        _fx.Build(host: With("fs.mqueue.msg_max"));
    }

    [Fact]
    public void Resources_follow_dockers_rules()
    {
        var r = _fx.Build(host: new HostConfig
        {
            Resources = new Resources
            {
                Memory = 256 << 20, MemoryReservation = 128 << 20, NanoCpus = 1_500_000_000, CpuShares = 512, CpusetCpus = "0-1",
                PidsLimit = 100, BlkioWeight = 300,
            },
        }).Linux!.Resources!;
        Assert.Equal((256L << 20, 128L << 20, 512L << 20), (r.Memory!.Limit, r.Memory.Reservation, r.Memory.Swap));
        Assert.Equal((100_000ul, 150_000L, 512ul, "0-1"), (r.Cpu!.Period, r.Cpu.Quota, r.Cpu.Shares, r.Cpu.Cpus));
        Assert.Equal(100, r.Pids!.Limit);
        Assert.Equal((ushort)300, r.BlockIO!.Weight);

        var unlimited = _fx.Build(host: new HostConfig { Resources = new Resources { Memory = 64 << 20, MemorySwap = -1, PidsLimit = 0 } }).Linux!.Resources!;
        Assert.Null(unlimited.Memory!.Swap);
        Assert.Equal(-1, unlimited.Pids!.Limit);
        var none = _fx.Build().Linux!.Resources!;
        Assert.Null(none.Memory);
        Assert.Null(none.Cpu);
        Assert.Null(none.Pids);
        var explicitCfs = _fx.Build(host: new HostConfig { Resources = new Resources { CpuPeriod = 50_000, CpuQuota = 25_000 } }).Linux!.Resources!.Cpu!;
        Assert.Equal((50_000ul, 25_000L), (explicitCfs.Period, explicitCfs.Quota));
    }

    [Theory]
    [InlineData(1 << 20, 0, 0, 0, "Minimum memory limit allowed is 6MB")]
    [InlineData(64 << 20, 32 << 20, 0, 0, "Minimum memoryswap limit should be larger than memory limit, see usage")]
    [InlineData(0, 0, 1_000_000_000, 100_000, "Conflicting options: Nano CPUs and CPU Period cannot both be set")]
    [InlineData(0, 0, 5_000_000_000, 0, "range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available")]
    public void Resource_errors_are_dockers(long memory, long swap, long nanoCpus, long period, string message)
    {
        var host = new HostConfig { Resources = new Resources { Memory = memory, MemorySwap = swap, NanoCpus = nanoCpus, CpuPeriod = period } };
        Assert.Equal(message, OciFixture.Invalid(() => _fx.Build(host: host)).Message);
    }

    [Fact]
    public void Ulimits_become_rlimits()
    {
        var host = new HostConfig { Resources = new Resources { Ulimits = [new Ulimit("nofile", 1024, 4096), new Ulimit("core", -1, -1)] } };
        var rlimits = _fx.Build(host: host).Process!.Rlimits!;
        Assert.Equal(["RLIMIT_NOFILE 1024 4096", $"RLIMIT_CORE {ulong.MaxValue} {ulong.MaxValue}"], rlimits.Select(r => $"{r.Type} {r.Soft} {r.Hard}"));
        Assert.Equal("invalid ulimit type: as", OciFixture.Invalid(() => _fx.Build(host: new HostConfig { Resources = new Resources { Ulimits = [new Ulimit("as", 1, 1)] } })).Message);
        Assert.Equal("ulimit soft limit must be less than or equal to hard limit: 10 > 5",
            OciFixture.Invalid(() => _fx.Build(host: new HostConfig { Resources = new Resources { Ulimits = [new Ulimit("nproc", 10, 5)] } })).Message);
    }

    [Fact]
    public void Init_runs_the_command_behind_docker_init_mounted_read_only()
    {
        var spec = _fx.Build(host: new HostConfig { Init = true });
        Assert.Equal(["/sbin/docker-init", "--", "sh"], spec.Process!.Args!);
        var init = spec.Mounts!.Single(m => m.Destination == "/sbin/docker-init");
        Assert.Equal(("bind", "/usr/libexec/berth/docker-init"), (init.Type, init.Source));
        Assert.Equal(["bind", "ro"], init.Options!);
        Assert.Equal(7, spec.Mounts!.IndexOf(init)); // after the defaults, before the container's own mounts
    }

    [Fact]
    public void Tty_user_security_and_oom_reach_the_process()
    {
        var spec = _fx.Build(
            new ContainerConfig { Cmd = ["sh"], Tty = true, User = "app", WorkingDir = "/home/app" },
            new HostConfig { ConsoleSize = new ConsoleSize(40, 120), OomScoreAdj = 500, GroupAdd = ["docker"], SecurityOpt = ["no-new-privileges"] });
        var p = spec.Process!;
        Assert.True(p.Terminal);
        Assert.Equal((40u, 120u), (p.ConsoleSize!.Height, p.ConsoleSize.Width));
        Assert.Contains("TERM=xterm", p.Env!);
        Assert.Equal((1000u, 1000u), (p.User.Uid, p.User.Gid));
        Assert.Equal([1000u, 29u, 44u, 999u], p.User.AdditionalGids!);
        Assert.Equal("/home/app", p.Cwd);
        Assert.True(p.NoNewPrivileges);
        Assert.Equal(500, p.OomScoreAdj);
        Assert.Equal("Invalid value 1001, range for oom score adj is [-1000, 1000]",
            OciFixture.Invalid(() => _fx.Build(host: new HostConfig { OomScoreAdj = 1001 })).Message);
    }

    [Fact]
    public void Seccomp_is_dockers_default_unless_unconfined_or_custom()
    {
        var seccomp = _fx.Build().Linux!.Seccomp!;
        Assert.Equal("SCMP_ACT_ERRNO", seccomp.DefaultAction);
        Assert.Contains(seccomp.Syscalls!, s => s.Names.Contains("chroot")); // CAP_SYS_CHROOT is a default capability
        Assert.DoesNotContain(seccomp.Syscalls!, s => s.Names.Contains("mount"));
        Assert.Contains(_fx.Build(host: new HostConfig { CapAdd = ["SYS_ADMIN"] }).Linux!.Seccomp!.Syscalls!, s => s.Names.Contains("mount"));
        Assert.Null(_fx.Build(host: new HostConfig { SecurityOpt = ["seccomp=unconfined"] }).Linux!.Seccomp);
        var custom = _fx.Build(host: new HostConfig { SecurityOpt = ["seccomp={\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":[]}"] }).Linux!.Seccomp!;
        Assert.Equal("SCMP_ACT_LOG", custom.DefaultAction);
        var privilegedCustom = _fx.Build(host: new HostConfig { Privileged = true, SecurityOpt = ["seccomp={\"defaultAction\":\"SCMP_ACT_LOG\"}"] });
        Assert.Equal("SCMP_ACT_LOG", privilegedCustom.Linux!.Seccomp!.DefaultAction);
    }

    [Fact]
    public void Image_config_supplies_command_env_user_and_working_dir()
    {
        var image = new ImageRuntimeConfig { Cmd = ["nginx"], Env = ["NGINX_VERSION=1.27"], User = "www-data", WorkingDir = "/srv" };
        var p = _fx.Build(new ContainerConfig { Image = "nginx" }, image: image).Process!;
        Assert.Equal(["nginx"], p.Args!);
        Assert.Equal(["PATH=" + ContainerProcess.DefaultPath, "HOSTNAME=0123456789ab", "NGINX_VERSION=1.27"], p.Env!);
        Assert.Equal(33u, p.User.Uid);
        Assert.Equal("/srv", p.Cwd);
    }

    [Fact]
    public void The_built_spec_survives_the_runtimes_reader()
    {
        var spec = _fx.Build(
            new ContainerConfig { Cmd = ["sh"], Tty = true, User = "app" },
            new HostConfig
            {
                Init = true, ReadonlyRootfs = true, Tmpfs = new Dictionary<string, string> { ["/run"] = "size=1m" }, OomScoreAdj = -5,
                Resources = new Resources { Memory = 64 << 20, NanoCpus = 500_000_000, PidsLimit = 10, Ulimits = [new Ulimit("nofile", 10, 20)] },
            });
        var json = JsonSerializer.SerializeToUtf8Bytes(spec, OciJsonContext.Default.Spec);
        var read = SpecReader.Read(json);
        Assert.Equal(spec.Process!.Args, read.Process!.Args);
        Assert.Equal(spec.Process.Env, read.Process.Env);
        Assert.Equal(spec.Process.User.AdditionalGids, read.Process.User.AdditionalGids);
        Assert.Equal(spec.Process.Capabilities!.Bounding, read.Process.Capabilities!.Bounding);
        Assert.Equal(spec.Mounts!.Select(Describe), read.Mounts!.Select(Describe));
        Assert.Equal(spec.Linux!.Seccomp!.Syscalls!.Count, read.Linux!.Seccomp!.Syscalls!.Count);
        Assert.Equal(spec.Linux.Seccomp.Syscalls.SelectMany(s => s.Args ?? []).Select(a => (a.Index, a.Value, a.Op)),
            read.Linux.Seccomp.Syscalls.SelectMany(s => s.Args ?? []).Select(a => (a.Index, a.Value, a.Op)));
        Assert.Equal(spec.Linux.Resources!.Cpu!.Quota, read.Linux.Resources!.Cpu!.Quota);
        Assert.Equal(spec.Linux.Resources.Devices!.Count, read.Linux.Resources.Devices!.Count);
        Assert.Equal(spec.Linux.Namespaces!.Select(n => n.Type), read.Linux.Namespaces!.Select(n => n.Type));
        Assert.Equal(-5, read.Process.OomScoreAdj);
        Assert.True(read.Root!.Readonly);
        Assert.Equal(JsonSerializer.Serialize(spec, OciJsonContext.Default.Spec), JsonSerializer.Serialize(read, OciJsonContext.Default.Spec));
    }

    public void Dispose() => _fx.Dispose();
}
