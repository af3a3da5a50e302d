using Berth.Oci.Runtime;
using Berth.Testing;

namespace Berth.Privileged.Tests.Runtime;

/// <summary>Capabilities, user, no_new_privs, seccomp, descriptors: what the container's process is allowed.</summary>
public sealed class SecurityTests
{
    [PrivilegedFact]
    public void Capability_sets_are_exactly_the_specs()
    {
        using var bundle = new TestBundle().WithScript("grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status");
        List<string> caps = ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"];
        bundle.Spec.Process!.Capabilities = new LinuxCapabilities { Bounding = caps, Effective = caps, Permitted = caps, Inheritable = caps, Ambient = caps };
        var status = bundle.Run().EnsureSuccess("run").Output.Split('\n').ToDictionary(l => l.Split(':')[0], l => l.Split('\t')[1]);
        const string mask = "0000000000000421"; // bits 0 (CHOWN), 5 (KILL), 10 (NET_BIND_SERVICE)
        Assert.All(new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" }, k => Assert.Equal(mask, status[k]));
    }

    [PrivilegedFact]
    public void User_and_groups_are_the_specs_and_caps_are_dropped_for_non_root()
    {
        using var bundle = new TestBundle().WithScript("id; grep CapEff /proc/self/status");
        bundle.Spec.Process!.User = new User { Uid = 1000, Gid = 1001, AdditionalGids = [5, 65534] };
        bundle.Spec.Process.Capabilities!.Ambient = [];
        var lines = bundle.Run().EnsureSuccess("run").Output.Split('\n');
        Assert.Equal("uid=1000 gid=1001 groups=5(tty),65534(nogroup)", lines[0]);
        Assert.EndsWith("0000000000000000", lines[1]);
    }

    [PrivilegedFact]
    public void No_new_privileges_is_set_when_asked()
    {
        using var on = new TestBundle().WithScript("grep NoNewPrivs /proc/self/status");
        Assert.EndsWith("1", on.Run().EnsureSuccess("run").Output);
        using var off = new TestBundle().WithScript("grep NoNewPrivs /proc/self/status");
        off.Spec.Process!.NoNewPrivileges = false;
        Assert.EndsWith("0", off.Run().EnsureSuccess("run").Output);
    }

    [PrivilegedFact]
    public void Seccomp_denies_what_the_profile_denies()
    {
        using var bundle = new TestBundle().WithScript("grep Seccomp: /proc/self/status; mkdir /tmp/denied 2>&1; touch /tmp/allowed && echo touch-ok");
        bundle.Spec.Root!.Readonly = false;
        bundle.Spec.Linux!.Seccomp = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
            Syscalls = [new LinuxSyscall { Names = ["mkdir", "mkdirat"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 1 }],
        };
        var lines = bundle.Run().EnsureSuccess("run").Output.Split('\n');
        Assert.EndsWith("2", lines[0]); // filter mode
        Assert.Contains("Operation not permitted", lines[1]);
        Assert.Equal("touch-ok", lines[2]);
    }

    [PrivilegedFact]
    public void Exec_applies_the_containers_seccomp_profile()
    {
        using var bundle = new TestBundle().WithScript("sleep 60");
        bundle.Spec.Root!.Readonly = false;
        bundle.Spec.Linux!.Seccomp = new LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new LinuxSyscall { Names = ["mkdir", "mkdirat"], Action = "SCMP_ACT_ERRNO" }],
        };
        bundle.WriteConfig();
        bundle.CliDetached("run", "--detach", "--bundle", bundle.Dir, bundle.Id).EnsureSuccess("run -d");
        var output = bundle.Cli("exec", bundle.Id, "sh", "-c", "grep Seccomp: /proc/self/status; mkdir /tmp/denied 2>&1; true").EnsureSuccess("exec").Output;
        Assert.EndsWith("2", output.Split('\n')[0]);
        Assert.Contains("Operation not permitted", output);
    }

    [PrivilegedFact]
    public void No_descriptor_of_the_runtime_leaks_into_the_container()
    {
        using var bundle = new TestBundle().WithScript("ls /proc/self/fd");
        // 0-2 are stdio and 3 is ls's own directory handle; nothing else may be open.
        Assert.Equal("0\n1\n2\n3", bundle.Run().EnsureSuccess("run").Output);
    }

    [PrivilegedFact]
    public void The_runtime_binary_cannot_be_written_through_the_stages_exe()
    {
        // CVE-2019-5736: while the container is "created" its init is our binary. What /proc/PID/exe leads to must be a
        // read-only mount, so nothing that reaches it (even after the stage has exec'd) can overwrite the runtime.
        using var bundle = new TestBundle().WithScript("true");
        bundle.WriteConfig();
        bundle.CliDetached("create", "--bundle", bundle.Dir, bundle.Id).EnsureSuccess("create");
        var pid = System.Text.Json.JsonDocument.Parse(bundle.Cli("state", bundle.Id).Stdout).RootElement.GetProperty("pid").GetInt32();
        Assert.True(Berth.Linux.Mounts.GetFlags($"/proc/{pid}/exe").HasFlag(Berth.Linux.MountFlags.ReadOnly), "the stage's executable is on a writable mount");
        Assert.False(Berth.Linux.Mounts.GetFlags(RepoPaths.Runtime).HasFlag(Berth.Linux.MountFlags.ReadOnly), "the host's view must be untouched");
    }

    [PrivilegedFact]
    public void A_cwd_outside_the_rootfs_cannot_be_reached()
    {
        // CVE-2024-21626: a cwd naming a descriptor must not resolve to a host directory.
        using var bundle = new TestBundle().WithScript("pwd");
        bundle.Spec.Process!.Cwd = "/proc/self/fd/5";
        var result = bundle.Run();
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("chdir to cwd", result.Stderr);
    }
}
