namespace Berth.Linux;

public static partial class ProcessCalls
{
    private const nint SigIgn = 1;

    /// <summary>Sets a signal's disposition to ignored (a supervisor that must outlive its session and its readers).</summary>
    public static void IgnoreSignal(int signal) => ProcessCalls.signal(signal, SigIgn);

    /// <summary>waitpid(WNOHANG): true with the raw status when <paramref name="pid"/> has exited and is now reaped.</summary>
    public static bool TryReap(int pid, out int status) => WaitPid(pid, out status, 1) == pid;
}
