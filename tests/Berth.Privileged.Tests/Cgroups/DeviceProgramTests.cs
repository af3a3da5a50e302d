using System.Diagnostics;
using Process = System.Diagnostics.Process;
using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Cgroups.V2;
using Berth.Testing;

namespace Berth.Privileged.Tests.Cgroups;

/// <summary>
/// The compiled device rules, loaded into the kernel and attached to a cgroup of the v2 hierarchy (the unified mount of
/// a hybrid host, or the root of a v2 one): the verifier takes the program, and the kernel enforces it on a process
/// that joins the cgroup.
/// </summary>
public sealed class DeviceProgramTests : IDisposable
{
    private string _dir = "";

    public DeviceProgramTests() => Privileges.RequireRoot();

    [PrivilegedFact]
    public void The_last_matching_rule_decides_and_a_replaced_program_no_longer_applies()
    {
        var unified = CgroupLayout.Detect().UnifiedMountPoint;
        Skip.If(unified is null, "this host mounts no cgroup v2 hierarchy");
        _dir = Path.Join(unified, "berth-test-devices-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_dir);

        CgroupDeviceProgram.Replace(_dir, DeviceFilter.Compile(
        [
            new LinuxDeviceCgroup { Allow = false, Access = "rwm" },
            new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Access = "rwm" },
            new LinuxDeviceCgroup { Allow = false, Type = "c", Major = 1, Minor = 5, Access = "w" },
        ]));
        Assert.Equal("null ok|zero read ok|zero write denied", Probe());

        CgroupDeviceProgram.Replace(_dir, DeviceFilter.Compile([new LinuxDeviceCgroup { Allow = true, Access = "rwm" }]));
        Assert.Equal("null ok|zero read ok|zero write ok", Probe());
    }

    /// <summary>A shell joins the cgroup, then opens /dev/null (c 1:3) and /dev/zero (c 1:5) for reading and writing.</summary>
    private string Probe()
    {
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"echo $$ > {_dir}/cgroup.procs || exit 9; " +
            "(: < /dev/null) 2>/dev/null && printf 'null ok|' || printf 'null denied|'; " +
            "(: < /dev/zero) 2>/dev/null && printf 'zero read ok|' || printf 'zero read denied|'; " +
            "(: > /dev/zero) 2>/dev/null && printf 'zero write ok' || printf 'zero write denied'");
        using var shell = Process.Start(info)!;
        var output = shell.StandardOutput.ReadToEnd();
        Assert.True(shell.WaitForExit(10_000), "the probe did not finish");
        Assert.Equal(0, shell.ExitCode);
        return output;
    }

    public void Dispose()
    {
        if (_dir.Length > 0 && Directory.Exists(_dir)) Directory.Delete(_dir);
    }
}
