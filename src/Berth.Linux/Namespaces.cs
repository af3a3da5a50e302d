using System.Runtime.InteropServices;

namespace Berth.Linux;

[Flags]
public enum CloneFlags : long
{
    None = 0,
    NewTime = 0x80,
    Fs = 0x200,
    NewNs = 0x20000,
    NewCgroup = 0x02000000,
    NewUts = 0x04000000,
    NewIpc = 0x08000000,
    NewUser = 0x10000000,
    NewPid = 0x20000000,
    NewNet = 0x40000000,
}

/// <summary>unshare(2) and setns(2). Both act on the calling thread only (see DESIGN.md, kernel facts).</summary>
public static class Namespaces
{
    public static void Unshare(CloneFlags flags)
    {
        if (Sys.Call(SyscallNumbers.Unshare, (long)flags) == -1)
            throw LinuxException.FromLastError("unshare", flags.ToString());
    }

    public static void SetNs(SafeHandle nsFd, CloneFlags type, string what)
    {
        if (Sys.Call(SyscallNumbers.Setns, nsFd.DangerousGetHandle(), (long)type) == -1)
            throw LinuxException.FromLastError("setns", what);
    }
}
