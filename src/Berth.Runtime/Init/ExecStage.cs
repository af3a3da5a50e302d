using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Stages;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Init;

/// <summary>
/// The stage <c>exec</c> starts (<c>berth-runtime init --exec</c>): already in the container's PID, network, IPC, UTS
/// and cgroup namespaces; it joins the mount namespace itself (that needs its own fs struct), then prepares and execs.
/// </summary>
public static class ExecStage
{
    public static int Run(string seccompCache)
    {
        FileDescriptors.MarkAllCloseOnExec(3);
        using var fromParent = new StageChannel(new SafeFileHandle(StageFds.FromParent, true));
        using var toParent = new StageChannel(new SafeFileHandle(StageFds.ToParent, true));
        try
        {
            var message = fromParent.Receive() ?? throw new StageFailedException("runtime exited before it sent the process");
            if (message.Kind != StageMessageKind.Process) throw new StageFailedException($"runtime sent {message.Kind}, expected Process");
            var spec = SpecReader.Read(System.Text.Encoding.UTF8.GetBytes(message.Text));
            fromParent.Expect(StageMessageKind.CgroupsJoined, "runtime");
            // Built before joining the container's mounts: compiling the seccomp filter loads libseccomp from the host.
            var launcher = new ProcessLauncher(spec.Process!, spec.Linux?.Seccomp, seccompCache);

            using (var mountNs = new SafeFileHandle(StageFds.MountNamespace, true))
            {
                Namespaces.Unshare(CloneFlags.Fs);
                Namespaces.SetNs(mountNs, CloneFlags.NewNs, "container mount namespace");
            }
            launcher.Prepare(spec.Process!.Terminal ? new SafeFileHandle(StageFds.ConsoleSocket, true) : null);
            toParent.Send(StageMessageKind.Ready);
            launcher.Exec();
            return 1;
        }
        catch (Exception e)
        {
            InitStage.Report(toParent, e);
            return 1;
        }
    }
}
