using static Berth.Linux.Capabilities.CapabilityInterop;

namespace Berth.Linux.Capabilities;

/// <summary>
/// no_new_privs of the CALLING THREAD: once set, execve never grants privileges (setuid bits, file capabilities),
/// and an unprivileged thread may load seccomp filters. It cannot be unset, and it is inherited by children.
/// </summary>
public static class NoNewPrivileges
{
    public static void Set()
    {
        if (Prctl(PR_SET_NO_NEW_PRIVS, 1) == -1) throw LinuxException.FromLastError("prctl(PR_SET_NO_NEW_PRIVS)");
    }

    public static bool Get()
    {
        var rc = Prctl(PR_GET_NO_NEW_PRIVS);
        return rc == -1 ? throw LinuxException.FromLastError("prctl(PR_GET_NO_NEW_PRIVS)") : rc == 1;
    }
}
