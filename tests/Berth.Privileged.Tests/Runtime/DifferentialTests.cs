using Berth.Testing;

namespace Berth.Privileged.Tests.Runtime;

/// <summary>
/// The same bundle and probe under runc (Debian's) and berth-runtime: what the container sees must be the same.
/// Both run runc's default spec minus the terminal, each in a fresh copy of the busybox rootfs.
/// </summary>
public sealed class DifferentialTests
{
    private const string Runc = "/usr/sbin/runc";

    public static TheoryData<string, string> Probes() => new()
    {
        { "identity", "id; hostname; echo $$; cat /proc/self/cgroup" },
        { "credentials", "grep -E '^(Cap|NoNewPrivs|Seccomp:)' /proc/self/status" },
        { "rlimits", "ulimit -a" },
        { "mounts", "awk '{print $2, $3}' /proc/self/mounts | sort" },
        { "mount options", "grep -E ' (/proc|/dev|/dev/pts|/dev/shm|/dev/mqueue|/sys) ' /proc/self/mounts | awk '{print $2, $4}' | sort" },
        { "devices", "ls -l /dev | awk '{print $1, $5, $6, $NF}' | grep -v '^total' | sort" },
        { "masked and read-only paths", "wc -c < /proc/kcore; ls /sys/firmware | wc -l; echo 1 > /proc/sys/kernel/domainname; touch /x; true" },
        // Counted by the shell itself: a pipeline's processes may or may not exist yet when cat reads the file.
        { "cgroup mounts", $"ls /sys/fs/cgroup; n=0; while read p; do n=$((n+1)); done < {HostCgroups.ContainerFile("pids", "cgroup.procs", "cgroup.procs")}; echo $n" },
        { "network", "ls /sys/class/net; cat /sys/class/net/lo/operstate" },
        { "umask and cwd", "umask; pwd" },
    };

    [PrivilegedTheory]
    [MemberData(nameof(Probes))]
    public void Probe_sees_the_same_under_runc_and_berth_runtime(string name, string script)
    {
        Assert.True(File.Exists(Runc), $"{Runc} is missing (apt-get install runc): the differential test needs it");
        var ours = RunUnder(null, script);
        var runc = RunUnder(Runc, script);
        Assert.True(runc.ExitCode == ours.ExitCode, $"{name}: exit {ours.ExitCode} (berth-runtime) vs {runc.ExitCode} (runc)");
        Assert.Equal(Normalize(runc.Stdout + runc.Stderr), Normalize(ours.Stdout + ours.Stderr));
    }

    private static CommandResult RunUnder(string? runtime, string script)
    {
        using var bundle = new TestBundle(runtime).WithScript(script);
        bundle.Spec.Hostname = "probe";
        return bundle.Run();
    }

    private static string Normalize(string output) => output.Replace("\r", "").TrimEnd();
}
