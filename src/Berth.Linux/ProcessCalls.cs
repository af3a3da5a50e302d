using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>Process-level calls: signals, wait, pidfd, session, credentials (raw syscalls: per thread), limits, exec.</summary>
public static unsafe partial class ProcessCalls
{
    public static bool Kill(int pid, int signal)
    {
        if (kill(pid, signal) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == Errno.ESRCH ? false : throw new LinuxException("kill", pid.ToString(), errno);
    }

    /// <summary>waitpid(2); returns the pid reaped (0 with WNOHANG when still running) and its raw status.</summary>
    public static int WaitPid(int pid, out int status, int options = 0)
    {
        int s = 0;
        int r;
        do r = waitpid(pid, &s, options); while (r == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR);
        status = s;
        return r == -1 ? throw LinuxException.FromLastError("waitpid", pid.ToString()) : r;
    }

    /// <summary>Shell-style exit code of a raw wait status: the code, or 128 + the signal.</summary>
    public static int ExitCodeOf(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);

    public static SafeFileHandle? TryPidfdOpen(int pid)
    {
        var fd = Sys.Call(SyscallNumbers.PidfdOpen, pid, 0);
        return fd == -1 ? null : new SafeFileHandle((nint)fd, true);
    }

    /// <summary>Waits until the process behind <paramref name="pidfd"/> has exited, or the timeout passes.</summary>
    public static bool WaitExited(SafeHandle pidfd, int timeoutMs)
    {
        var pfd = new PollFd { Fd = (int)pidfd.DangerousGetHandle(), Events = 1 };
        int r;
        do r = poll(&pfd, 1, timeoutMs); while (r == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR);
        return r > 0;
    }

    /// <summary>PR_SET_CHILD_SUBREAPER: orphaned descendants are reparented to us (and reaped by us), not to init.</summary>
    public static void SetChildSubreaper()
    {
        const int PR_SET_CHILD_SUBREAPER = 36;
        if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == -1) throw LinuxException.FromLastError("prctl(PR_SET_CHILD_SUBREAPER)");
    }

    public static void SetSid()
    {
        if (setsid() == -1) throw LinuxException.FromLastError("setsid");
    }

    public static void SetGroups(ReadOnlySpan<uint> groups)
    {
        fixed (uint* p = groups)
        {
            if (Sys.Call(SyscallNumbers.Setgroups, groups.Length, (long)p) == -1)
                throw LinuxException.FromLastError("setgroups");
        }
    }

    public static void SetResGid(uint gid)
    {
        if (Sys.Call(SyscallNumbers.Setresgid, gid, gid, gid) == -1) throw LinuxException.FromLastError("setresgid", gid.ToString());
    }

    public static void SetResUid(uint uid)
    {
        if (Sys.Call(SyscallNumbers.Setresuid, uid, uid, uid) == -1) throw LinuxException.FromLastError("setresuid", uid.ToString());
    }

    public static void SetRlimit(int resource, ulong soft, ulong hard, string what)
    {
        var limit = stackalloc ulong[2];
        limit[0] = soft;
        limit[1] = hard;
        if (prlimit(0, resource, limit, null) == -1) throw LinuxException.FromLastError("setrlimit", what);
    }

    public static void SetHostname(string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
            if (sethostname(p, bytes.Length) == -1) throw LinuxException.FromLastError("sethostname", name);
    }

    public static void SetDomainname(string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
            if (setdomainname(p, bytes.Length) == -1) throw LinuxException.FromLastError("setdomainname", name);
    }

    public static void Chdir(string path)
    {
        if (chdir(path) == -1) throw LinuxException.FromLastError("chdir", path);
    }

    public static int TryChdir(string path) => chdir(path) == -1 ? Marshal.GetLastPInvokeError() : 0;

    public static void Fchdir(SafeHandle directory, string what)
    {
        if (fchdir(directory) == -1) throw LinuxException.FromLastError("fchdir", what);
    }

    public static void Umask(uint mask) => umask(mask);

    /// <summary>Restores default dispositions and an empty mask, so the next program does not inherit .NET's (SIGPIPE ignored).</summary>
    public static void ResetSignals()
    {
        for (var sig = 1; sig < 65; sig++)
        {
            if (sig is 9 or 19 or 32 or 33) continue; // SIGKILL, SIGSTOP and glibc's reserved real-time signals
            signal(sig, 0);
        }
        var empty = stackalloc byte[128];
        sigemptyset(empty);
        pthread_sigmask(2 /* SIG_SETMASK */, empty, null);
    }

    /// <summary>execve(2): only returns by throwing.</summary>
    public static void Execve(string path, IReadOnlyList<string> args, IReadOnlyList<string> env)
    {
        using var argv = new NativeStringArray(args);
        using var envp = new NativeStringArray(env);
        execve(path, argv.Pointer, envp.Pointer);
        throw LinuxException.FromLastError("execve", path);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int kill(int pid, int sig);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int waitpid(int pid, int* status, int options);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int poll(PollFd* fds, nuint nfds, int timeout);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int setsid();
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int prlimit(int pid, int resource, ulong* newLimit, ulong* oldLimit);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int sethostname(byte* name, nint len);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int setdomainname(byte* name, nint len);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int prctl(int option, long a2, long a3, long a4, long a5);
    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int chdir(string path);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial int fchdir(SafeHandle fd);
    [LibraryImport(Libraries.Libc)] private static partial uint umask(uint mask);
    [LibraryImport(Libraries.Libc)] private static partial nint signal(int sig, nint handler);
    [LibraryImport(Libraries.Libc)] private static partial int sigemptyset(byte* set);
    [LibraryImport(Libraries.Libc)] private static partial int pthread_sigmask(int how, byte* set, byte* old);
    [LibraryImport(Libraries.Libc, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] private static partial int execve(string path, nint argv, nint envp);
}
