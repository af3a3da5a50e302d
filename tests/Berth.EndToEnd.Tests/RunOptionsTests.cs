using System.Text.Json;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Run options with the real docker CLI: IPC and cgroup namespace modes, <c>--cgroup-parent</c>, devices and their
/// cgroup rules, <c>--oom-kill-disable</c>, the blkio device limits, and the options this host cannot honour.
/// </summary>
public sealed class RunOptionsTests : IClassFixture<DaemonProcess>
{
    private readonly DaemonProcess _daemon;

    public RunOptionsTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    private string Inspect(string container, string format) => Docker("inspect", "-f", format, container).Ok("inspect").Output;

    [PrivilegedFact]
    public void A_shareable_ipc_is_joined_with_its_dev_shm_and_unmounted_when_the_donor_stops()
    {
        var donor = Docker("run", "-d", "--ipc", "shareable", "busybox", "sh", "-c", "echo shared > /dev/shm/note; sleep 60").Ok("run shareable").Output;
        try
        {
            var shm = Path.Combine(_daemon.DataRoot, "containers", donor, "mounts", "shm");
            Wait.Until(() => File.Exists(Path.Combine(shm, "note")), "the donor's note in its shareable /dev/shm");
            Assert.Contains(shm, MountPoints());
            var donorIpc = Docker("exec", donor, "readlink", "/proc/self/ns/ipc").Ok("exec readlink").Output;

            var joined = Docker("run", "--rm", "--ipc", "container:" + donor[..12], "busybox", "sh", "-c", "readlink /proc/self/ns/ipc; cat /dev/shm/note")
                .Ok("run --ipc container:").Output.Split('\n');
            Assert.Equal([donorIpc, "shared"], joined);
            Assert.Equal("shareable", Inspect(donor, "{{.HostConfig.IpcMode}}"));

            var joiner = Docker("create", "--ipc", "container:" + donor[..12], "busybox", "true").Ok("create").Output;
            Assert.Equal("container:" + donor, Inspect(joiner, "{{.HostConfig.IpcMode}}"));
            Docker("rm", joiner).Ok("rm");

            Docker("stop", "-t", "0", donor).Ok("stop");
            Assert.DoesNotContain(shm, MountPoints());
        }
        finally
        {
            Docker("rm", "-f", donor);
        }
    }

    [PrivilegedFact]
    public void A_private_ipc_cannot_be_joined_and_host_and_none_do_as_docker()
    {
        var private_ = Docker("run", "-d", "busybox", "sleep", "60").Ok("run").Output;
        try
        {
            Assert.Equal("private", Inspect(private_, "{{.HostConfig.IpcMode}}"));
            var refused = Docker("run", "--rm", "--ipc", "container:" + private_, "busybox", "true");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("non-shareable IPC (hint: use IpcMode:shareable for the donor container)", refused.Stderr);
        }
        finally
        {
            Docker("rm", "-f", private_);
        }

        var hostIpc = Commands.Run("readlink", ["/proc/self/ns/ipc"]).Ok("readlink").Output;
        Assert.Equal(hostIpc, Docker("run", "--rm", "--ipc", "host", "busybox", "readlink", "/proc/self/ns/ipc").Ok("run --ipc host").Output);
        Assert.Equal("no shm", Docker("run", "--rm", "--ipc", "none", "busybox", "sh", "-c", "test -e /dev/shm && echo shm || echo no shm").Ok("run --ipc none").Output);
        Assert.Contains("invalid IPC mode: bogus", Docker("run", "--rm", "--ipc", "bogus", "busybox", "true").Stderr);
    }

    [PrivilegedFact]
    public void A_containers_pid_namespace_is_joined_and_a_stopped_donor_fails_a_run_rm_without_leftovers()
    {
        var donor = Docker("run", "-d", "--name", "pid-donor", "busybox", "sleep", "60").Ok("run donor").Output;
        try
        {
            var donorPid = Docker("exec", donor, "readlink", "/proc/self/ns/pid").Ok("exec readlink").Output;
            var joined = Docker("run", "--rm", "--pid", "container:pid-donor", "busybox", "sh", "-c", "readlink /proc/self/ns/pid; cat /proc/1/cmdline | tr '\\0' ' '")
                .Ok("run --pid container:").Output.Split('\n');
            Assert.Equal([donorPid, "sleep 60"], joined.Select(l => l.Trim()));
            var joiner = Docker("create", "--pid", "container:pid-donor", "busybox", "true").Ok("create").Output;
            Assert.Equal("container:" + donor, Inspect(joiner, "{{.HostConfig.PidMode}}"));
            Docker("rm", joiner).Ok("rm");

            Docker("stop", "-t", "0", donor).Ok("stop");
            var before = Docker("ps", "-aq").Output;
            foreach (var mode in new[] { "--pid", "--network" })
            {
                var refused = Docker("run", "--rm", mode, "container:pid-donor", "busybox", "true");
                Assert.NotEqual(0, refused.ExitCode);
                Assert.Contains(mode == "--pid" ? $"failed to join PID namespace: container {donor} is not running"
                    : $"cannot join network of a non running container: {donor}", refused.Stderr, StringComparison.Ordinal);
            }
            Assert.Equal(before, Docker("ps", "-aq").Output);
            Assert.Contains("--pid: invalid PID mode", Docker("run", "--rm", "--pid", "bogus", "busybox", "true").Stderr); // the CLI checks first
        }
        finally
        {
            Docker("rm", "-f", donor);
        }
    }

    [PrivilegedFact]
    public void The_cgroup_namespace_is_private_or_the_hosts_as_asked_with_dockers_default_for_the_host()
    {
        var id = Docker("create", "busybox", "true").Ok("create").Output;
        Assert.Equal(HostCgroups.IsV2 ? "private" : "host", Inspect(id, "{{.HostConfig.CgroupnsMode}}"));
        Docker("rm", id).Ok("rm");

        var own = Docker("run", "--rm", "--cgroupns", "private", "busybox", "cat", "/proc/self/cgroup").Ok("run --cgroupns private").Output;
        Assert.All(own.Split('\n'), line => Assert.EndsWith(":/", line));
        var shared = Docker("run", "--rm", "--cgroupns", "host", "busybox", "cat", "/proc/self/cgroup").Ok("run --cgroupns host").Output;
        Assert.Contains(":/berth/", shared);
        Assert.NotEqual(
            Commands.Run("readlink", ["/proc/self/ns/cgroup"]).Ok("readlink").Output,
            Docker("run", "--rm", "--cgroupns", "private", "busybox", "readlink", "/proc/self/ns/cgroup").Ok("readlink").Output);
    }

    [PrivilegedFact]
    public void The_cgroup_parent_is_where_the_containers_cgroup_is_made()
    {
        const string Parent = "/berth-e2e-parent";
        var id = Docker("run", "-d", "--cgroup-parent", Parent, "busybox", "sleep", "60").Ok("run --cgroup-parent").Output;
        try
        {
            var pid = Inspect(id, "{{.State.Pid}}");
            Assert.Contains($"{Parent}/{id}", File.ReadAllText($"/proc/{pid}/cgroup"));
            Assert.True(File.Exists(HostCgroups.HostFile($"{Parent}/{id}", "pids", "cgroup.procs", "cgroup.procs")));
            Assert.Equal(Parent, Inspect(id, "{{.HostConfig.CgroupParent}}"));
        }
        finally
        {
            Docker("rm", "-f", id);
            foreach (var dir in HostCgroups.ExistingDirectories(Parent)) Directory.Delete(dir);
        }
        Assert.Empty(HostCgroups.ExistingDirectories($"{Parent}/{id}"));
    }

    [PrivilegedFact]
    public void A_device_appears_where_asked_with_the_access_its_permissions_give()
    {
        var node = Docker("run", "--rm", "--device", "/dev/null:/dev/mynull", "busybox", "sh", "-c", "stat -c '%F %t:%T' /dev/mynull; echo x > /dev/mynull && echo written")
            .Ok("run --device").Output.Split('\n');
        Assert.Equal(["character special file 1:3", "written"], node);

        // A loop device (b 7:0) is not among the devices every container may use: its permissions alone decide.
        Skip.Unless(File.Exists("/dev/loop0"), "this host has no /dev/loop0 to map");
        Assert.Equal("read", Docker("run", "--rm", "--device", "/dev/loop0:/dev/myloop:r", "busybox", "sh", "-c", "exec 3</dev/myloop && echo read")
            .Ok("run --device :r").Output);
        var readOnly = Docker("run", "--rm", "--device", "/dev/loop0:/dev/myloop:r", "busybox", "sh", "-c", "exec 3>/dev/myloop");
        Assert.NotEqual(0, readOnly.ExitCode);
        Assert.Contains("Operation not permitted", readOnly.Stderr);

        var id = Docker("create", "--device", "/dev/null:/dev/mynull:rw", "busybox", "true").Ok("create").Output;
        var devices = JsonDocument.Parse(Inspect(id, "{{json .HostConfig.Devices}}")).RootElement[0];
        Assert.Equal(("/dev/null", "/dev/mynull", "rw"),
            (devices.GetProperty("PathOnHost").GetString(), devices.GetProperty("PathInContainer").GetString(), devices.GetProperty("CgroupPermissions").GetString()));
        Docker("rm", id).Ok("rm");

        var missing = Docker("run", "--rm", "--device", "/dev/berth-no-such", "busybox", "true");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("error gathering device information while adding custom device \"/dev/berth-no-such\": no such file or directory", missing.Stderr);
    }

    [PrivilegedFact]
    public void A_device_cgroup_rule_allows_a_node_the_defaults_deny()
    {
        // Any node may be made (Docker's "b *:* m"), but only an allowed one opened: b 7:0 (loop0) is not in the defaults.
        const string Script = "mknod /dev/l b 7 0 && exec 3</dev/l && echo opened";
        var denied = Docker("run", "--rm", "busybox", "sh", "-c", Script);
        Assert.Contains("Operation not permitted", denied.Stderr);
        Assert.Equal("opened", Docker("run", "--rm", "--device-cgroup-rule", "b 7:* r", "busybox", "sh", "-c", Script).Ok("run --device-cgroup-rule").Output);
    }

    [PrivilegedFact]
    public void Oom_kill_disable_is_set_where_the_kernel_has_it_and_discarded_with_a_warning_where_not()
    {
        var run = Docker("run", "--rm", "-m", "64m", "--oom-kill-disable", "busybox", "sh", "-c",
            HostCgroups.IsV2 ? "echo v2" : "grep oom_kill_disable /sys/fs/cgroup/memory/memory.oom_control").Ok("run --oom-kill-disable");
        if (HostCgroups.IsV2)
            Assert.Contains("Your kernel does not support OomKillDisable. OomKillDisable discarded.", run.Stderr);
        else
            Assert.Equal("oom_kill_disable 1", run.Output);
        var unlimited = Docker("run", "--rm", "--oom-kill-disable", "busybox", "true");
        Assert.Contains("OOM killer is disabled for the container, but no memory limit is set", unlimited.Stderr);
    }

    [PrivilegedFact]
    public void Block_device_rates_reach_the_cgroup_and_a_missing_weight_device_file_is_a_warning()
    {
        var disk = Directory.EnumerateDirectories("/sys/block").Select(Path.GetFileName)
            .FirstOrDefault(name => !name!.StartsWith("loop", StringComparison.Ordinal) && !name.StartsWith("zram", StringComparison.Ordinal) && File.Exists("/dev/" + name));
        Skip.If(disk is null, "this host has no block device node to limit");
        var number = File.ReadAllText($"/sys/block/{disk}/dev").Trim();
        var device = "/dev/" + disk;
        var readBps = HostCgroups.ContainerFile("blkio", "blkio.throttle.read_bps_device", "io.max");
        var writeIops = HostCgroups.ContainerFile("blkio", "blkio.throttle.write_iops_device", "io.max");
        Skip.If(!HostCgroups.IsV2 && !File.Exists("/sys/fs/cgroup/blkio/blkio.throttle.read_bps_device"), "this host's blkio controller has no throttle files");

        var limits = Docker("run", "--rm", "--device-read-bps", device + ":1mb", "--device-write-iops", device + ":100", "busybox", "sh", "-c",
            $"cat {readBps} {writeIops}").Ok("run --device-read-bps").Output;
        Assert.Contains(HostCgroups.IsV2 ? $"{number} rbps=1048576" : $"{number} 1048576", limits);
        Assert.Contains(HostCgroups.IsV2 ? "wiops=100" : $"{number} 100", limits);

        var weighted = Docker("run", "--rm", "--blkio-weight-device", device + ":200", "busybox", "true").Ok("run --blkio-weight-device");
        var weightFile = !HostCgroups.IsV2 && (File.Exists("/sys/fs/cgroup/blkio/blkio.weight_device") || File.Exists("/sys/fs/cgroup/blkio/blkio.bfq.weight_device"));
        if (!HostCgroups.IsV2 && !weightFile)
            Assert.Contains("Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.", weighted.Stderr);
    }

    [PrivilegedFact]
    public void Options_this_host_cannot_honour_fail_or_pass_as_on_docker()
    {
        var gpus = Docker("run", "--rm", "--gpus", "all", "busybox", "true");
        Assert.NotEqual(0, gpus.ExitCode);
        Assert.Contains("could not select device driver \"\" with capabilities: [[gpu]]", gpus.Stderr);

        var storage = Docker("run", "--rm", "--storage-opt", "size=1G", "busybox", "true");
        Assert.NotEqual(0, storage.ExitCode);
        Assert.Contains("--storage-opt is supported only for overlay over xfs with 'pquota' mount option", storage.Stderr);

        Skip.If(File.Exists("/sys/fs/selinux/enforce") || File.Exists("/sys/kernel/security/apparmor/profiles"), "this host runs AppArmor or SELinux");
        Docker("run", "--rm", "--security-opt", "apparmor=docker-default", "--security-opt", "label=type:svirt_t", "busybox", "true")
            .Ok("security options a host without AppArmor and SELinux ignores");
    }

    [PrivilegedFact]
    public async Task An_environment_value_with_a_nul_byte_fails_the_start_as_runc_fails_it()
    {
        using var client = _daemon.ApiClient();
        using var create = await client.PostAsync("/v1.44/containers/create",
            new StringContent("""{"Image":"busybox","Cmd":["true"],"Env":["A=x\u0000y"]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, create.StatusCode);
        var id = JsonDocument.Parse(await create.Content.ReadAsStringAsync()).RootElement.GetProperty("Id").GetString()!;
        try
        {
            using var start = await client.PostAsync($"/v1.44/containers/{id}/start", null);
            Assert.Equal(System.Net.HttpStatusCode.InternalServerError, start.StatusCode);
            var message = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString();
            Assert.Contains("invalid environment variable \"A\": contains nul byte (\\x00)", message);
        }
        finally
        {
            Docker("rm", "-f", id);
        }
    }

    [PrivilegedFact]
    public void Annotations_reach_inspect_and_options_linux_lacks_get_dockers_errors()
    {
        var id = Docker("create", "--annotation", "org.example.team=build", "busybox", "true").Ok("create").Output;
        try
        {
            Assert.Equal("build", Docker("inspect", "-f", "{{index .HostConfig.Annotations \"org.example.team\"}}", id).Ok("inspect").Output);
        }
        finally
        {
            Docker("rm", id);
        }
        var isolation = Docker("create", "--isolation", "hyperv", "busybox");
        Assert.Equal(1, isolation.ExitCode);
        Assert.Contains("Invalid isolation: \"hyperv\" - linux only supports 'default'", isolation.Stderr);
        var io = _daemon.Berth("create", "--io-maxiops", "100", "busybox");
        Assert.Equal(1, io.ExitCode);
        Assert.Contains("\"--io-maxiops\" is only supported on a Berth daemon running on windows, but the Berth daemon is running on linux", io.Stderr);
    }

    private static string[] MountPoints() => [.. File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])];
}
