using Berth.Runtime.Stages;
using Berth.Linux;
using Berth.Linux.Capabilities;
using Berth.Oci.Runtime;
using Berth.Runtime.Security;
using Microsoft.Win32.SafeHandles;
using OciProcess = Berth.Oci.Runtime.Process;

namespace Berth.Runtime.Init;

/// <summary>
/// The last steps before the user's program, shared by the init and the exec stage, all on the thread that will call
/// execve (credentials, capabilities and seccomp are per thread): terminal, limits, user, capabilities, cwd, then exec.
/// </summary>
public sealed class ProcessLauncher(OciProcess process, LinuxSeccomp? seccomp, string seccompCache)
{
    private readonly SeccompProgram? _seccomp = SeccompProfile.FromOci(seccomp) is { } profile ? SeccompProgramCache.Build(profile, seccompCache) : null;
    private string? _executable;

    /// <summary>Everything that can fail with a message for the caller: run before reporting Ready.</summary>
    public void Prepare(SafeFileHandle? consoleSocket)
    {
        EnvironmentCheck.Validate(process.Env);
        if (process.Terminal) SetupTerminal(consoleSocket ?? throw new StageFailedException("terminal requested but no console socket was given"));
        if (process.OomScoreAdj is { } oom) File.WriteAllText("/proc/self/oom_score_adj", oom.ToString());
        foreach (var limit in process.Rlimits ?? []) ProcessCalls.SetRlimit(Rlimits.Number(limit.Type), limit.Soft, limit.Hard, limit.Type);
        // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it while we still have it (runc's order).
        if (!process.NoNewPrivileges) _seccomp?.Load();
        SwitchUser();
        ChangeDirectory();
        _executable = ExecutableLookup.Resolve(process.Args?.FirstOrDefault() ?? "", process.Env);
    }

    /// <summary>Replaces this process with the user's program. Returns only by throwing.</summary>
    public void Exec()
    {
        if (process.NoNewPrivileges)
        {
            NoNewPrivileges.Set();
            _seccomp?.Load();
        }
        FileDescriptors.MarkAllCloseOnExec(3);
        ProcessCalls.ResetSignals();
        ProcessCalls.Execve(_executable!, process.Args!, process.Env ?? []);
    }

    private void SetupTerminal(SafeFileHandle consoleSocket)
    {
        var (master, slave, _) = Pty.Open("/dev/ptmx");
        using (master)
        {
            if (process.ConsoleSize is { } size) Pty.SetWindowSize(master, (ushort)size.Height, (ushort)size.Width);
            UnixRights.Send(consoleSocket, master, "/dev/ptmx");
        }
        using (slave)
        {
            FileDescriptors.ChownFd(slave, process.User.Uid, process.User.Gid, "console");
            for (var fd = 0; fd < 3; fd++) FileDescriptors.Dup2((int)slave.DangerousGetHandle(), fd);
        }
        using var stdin = new SafeFileHandle(0, ownsHandle: false);
        Pty.SetControllingTerminal(stdin);
    }

    private void SwitchUser()
    {
        var user = process.User;
        var capabilities = CapabilityPlan.FromOci(process.Capabilities ?? new LinuxCapabilities());
        KeepCaps.Set(true);
        capabilities.ApplyBoundingSet();
        ProcessCalls.SetGroups((user.AdditionalGids ?? []).ToArray());
        ProcessCalls.SetResGid(user.Gid);
        ProcessCalls.SetResUid(user.Uid);
        KeepCaps.Set(false);
        capabilities.ApplyCapabilities();
        ProcessCalls.Umask(user.Umask ?? 0b000_010_010);
    }

    private void ChangeDirectory()
    {
        var errno = ProcessCalls.TryChdir(process.Cwd);
        if (errno != 0)
            throw new StageFailedException($"chdir to cwd (\"{process.Cwd}\") set in config.json failed: {LinuxException.Describe(errno).ToLowerInvariant()}", errno);
        // A cwd reached through a descriptor of the host's would show as unreachable (CVE-2024-21626).
        if (Directory.GetCurrentDirectory().StartsWith('('))
            throw new StageFailedException("current working directory is outside of container mount namespace root -- possible container breakout detected");
    }
}
