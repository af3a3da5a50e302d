using Berth.Oci.Runtime;
using Berth.Testing;

namespace Berth.Privileged.Tests.Runtime;

/// <summary>The rootfs, the spec's mounts, /dev, masked and read-only paths, seen from inside.</summary>
public sealed class FilesystemTests
{
    [PrivilegedFact]
    public void Spec_mounts_are_mounted_with_their_options()
    {
        using var bundle = new TestBundle().WithScript("cat /proc/self/mounts");
        var mounts = bundle.Run().EnsureSuccess("run").Output.Split('\n').Select(l => l.Split(' ')).ToDictionary(f => f[1], f => (Type: f[2], Options: f[3]));
        Assert.Equal("proc", mounts["/proc"].Type);
        Assert.Equal("devpts", mounts["/dev/pts"].Type);
        Assert.Equal("mqueue", mounts["/dev/mqueue"].Type);
        Assert.Contains("size=65536k", mounts["/dev/shm"].Options);
        Assert.Contains("nodev", mounts["/dev/shm"].Options);
        Assert.StartsWith("ro,", mounts["/sys"].Options);
        if (HostCgroups.IsV2) Assert.Equal("cgroup2", mounts["/sys/fs/cgroup"].Type);
        else Assert.Equal("cgroup", mounts["/sys/fs/cgroup/memory"].Type);
        Assert.StartsWith("ro,", mounts["/"].Options); // root.readonly in runc's default spec
    }

    [PrivilegedFact]
    public void Readonly_root_refuses_writes_but_tmpfs_mounts_accept_them()
    {
        using var bundle = new TestBundle().WithScript("touch /probe 2>&1; touch /dev/shm/ok && echo shm-ok");
        var output = bundle.Run().EnsureSuccess("run").Output;
        Assert.Contains("Read-only file system", output);
        Assert.EndsWith("shm-ok", output);
    }

    [PrivilegedFact]
    public void Masked_paths_are_empty_and_readonly_paths_refuse_writes()
    {
        using var bundle = new TestBundle().WithScript(
            // Paths this kernel has: /proc/keys and /proc/timer_list (masked files), /sys/firmware (masked dir), /proc/sys and /proc/bus (read-only).
            "wc -c < /proc/keys; wc -c < /proc/timer_list; ls /sys/firmware | wc -l; { echo 1 > /proc/sys/kernel/domainname; } 2>&1; grep ' /proc/bus ' /proc/self/mounts | cut -d' ' -f4; true");
        var lines = bundle.Run().EnsureSuccess("run").Output.Split('\n');
        Assert.Equal(["0", "0", "0"], lines[..3].Select(l => l.Trim()));
        Assert.Contains("Read-only file system", lines[3]);
        Assert.StartsWith("ro,", lines[4]);
    }

    [PrivilegedFact]
    public void Default_devices_exist_and_spec_devices_are_created()
    {
        using var bundle = new TestBundle().WithScript("ls -l /dev/null /dev/zero /dev/urandom /dev/tty /dev/fuse | cut -c1; readlink /dev/ptmx; readlink /dev/fd; echo ok > /dev/null && head -c 4 /dev/zero | wc -c");
        bundle.Spec.Linux!.Devices = [new LinuxDevice { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229, FileMode = 0b110_110_110 }];
        bundle.Spec.Linux.Resources!.Devices!.Add(new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 10, Minor = 229, Access = "rwm" });
        var lines = bundle.Run().EnsureSuccess("run").Output.Split('\n');
        Assert.All(lines[..5], l => Assert.Equal("c", l));
        Assert.Equal("pts/ptmx", lines[5]);
        Assert.Equal("/proc/self/fd", lines[6]);
        Assert.Equal("4", lines[7].Trim());
    }

    [PrivilegedFact]
    public void Bind_mounts_bring_host_directories_in_read_only_when_asked()
    {
        using var bundle = new TestBundle().WithScript("cat /data/hello; touch /data/new 2>&1; true");
        var host = Path.Combine(bundle.Dir, "host-data");
        Directory.CreateDirectory(host);
        File.WriteAllText(Path.Combine(host, "hello"), "from the host");
        bundle.Spec.Mounts!.Add(new Mount { Destination = "/data", Type = "bind", Source = host, Options = ["rbind", "ro"] });
        var output = bundle.Run().EnsureSuccess("run").Output;
        Assert.StartsWith("from the host", output);
        Assert.Contains("Read-only file system", output);
        Assert.False(File.Exists(Path.Combine(host, "new")));
    }

    [PrivilegedFact]
    public void Mount_targets_through_symlinks_stay_inside_the_rootfs()
    {
        // CVE-2021-30465: a symlink in the image pointing at a host path must not lead a mount out of the rootfs.
        using var bundle = new TestBundle().WithScript("ls -d /escape/target/x && echo inside");
        var outside = Path.Combine(bundle.Dir, "outside");
        Directory.CreateDirectory(Path.Combine(outside, "target"));
        File.CreateSymbolicLink(Path.Combine(bundle.Rootfs, "escape"), outside);
        bundle.Spec.Mounts!.Add(new Mount { Destination = "/escape/target/x", Type = "tmpfs", Source = "tmpfs" });
        bundle.Spec.Root!.Readonly = false;
        var output = bundle.Run().EnsureSuccess("run").Output;
        Assert.EndsWith("inside", output);
        Assert.False(Directory.Exists(Path.Combine(outside, "target", "x")), "the mount target was created outside the rootfs");
        Assert.True(Directory.Exists(Path.Combine(bundle.Rootfs, outside.TrimStart('/'), "target", "x")));
        Assert.DoesNotContain(outside, File.ReadAllText("/proc/self/mountinfo"));
    }

    [PrivilegedFact]
    public void Cgroup_namespace_shows_the_container_its_own_cgroup_as_root()
    {
        // v2 has one line, "0::/"; v1 and hybrid one per hierarchy. The shell reads cgroup.procs with a builtin, so
        // the only process in the cgroup at that moment is the shell itself (a `cat | wc` pipeline races: cat may
        // read the file before wc is forked).
        using var bundle = new TestBundle().WithScript(
            $"grep {(HostCgroups.IsV2 ? "'^0::'" : "memory")} /proc/self/cgroup; echo $$; " +
            $"while read p; do echo \"member $p\"; done < {HostCgroups.ContainerFile("memory", "cgroup.procs", "cgroup.procs")}");
        var lines = bundle.Run().EnsureSuccess("run").Output.Trim().Split('\n');
        Assert.EndsWith(HostCgroups.IsV2 ? "0::/" : ":memory:/", lines[0]);
        Assert.Equal([$"member {lines[1].Trim()}"], lines[2..].Select(l => l.Trim())); // the shell alone: nothing of the host
    }
}
