using System.Runtime.InteropServices;
using Berth.Linux;

namespace Berth.Runtime.Cli;

/// <summary>
/// <c>berth-runtime infra</c>: a Kubernetes pod's infra process (the role of the pause image in other runtimes). It
/// holds the pod's namespaces by being alive, reaps the orphans it inherits as PID 1 of a shared PID namespace, and
/// ends on SIGTERM or SIGINT. As PID 1 of a namespace it would ignore those signals without handlers of its own.
/// </summary>
internal static class InfraProcess
{
    private const int NoHang = 1; // WNOHANG

    public static int Run()
    {
        using var stop = new ManualResetEventSlim();
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var child = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, _ => ReapAll());
        stop.Wait();
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }
    }

    private static void ReapAll()
    {
        try
        {
            while (ProcessCalls.WaitPid(-1, out _, NoHang) > 0) { }
        }
        catch (LinuxException)
        {
            // ECHILD: nothing left to reap.
        }
    }
}
