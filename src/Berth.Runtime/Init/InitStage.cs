using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Rootfs;
using Berth.Runtime.Stages;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Init;

/// <summary>
/// The container's first process (<c>berth-runtime init</c>), started by <c>create</c> inside the new namespaces; PID 1
/// of a new PID namespace. It waits for its cgroups, builds the rootfs, pivots into it, prepares the user's process,
/// reports Ready, blocks on the exec fifo until <c>start</c>, then execs the user's program.
/// </summary>
public static class InitStage
{
    public static int Run(string bundle, string cgroupsPath, string seccompCache)
    {
        FileDescriptors.MarkAllCloseOnExec(3);
        using var fromParent = new StageChannel(new SafeFileHandle(StageFds.FromParent, true));
        using var toParent = new StageChannel(new SafeFileHandle(StageFds.ToParent, true));
        try
        {
            ProcessCalls.Umask(0); // device nodes and directories get exactly the modes asked for
            var spec = SpecFile.Load(bundle);
            var namespaces = NamespacePlan.From(spec);
            // Built before pivot_root: compiling the seccomp filter loads libseccomp from the host.
            var launcher = new ProcessLauncher(spec.Process ?? throw new StageFailedException("config.json: process is required"), spec.Linux?.Seccomp, seccompCache);
            RuntimeTrace.Mark("init: bundle read");
            fromParent.Expect(StageMessageKind.CgroupsJoined, "runtime");
            RuntimeTrace.Mark("init: cgroups joined");
            if (namespaces.New.HasFlag(CloneFlags.NewCgroup)) Namespaces.Unshare(CloneFlags.NewCgroup);

            using (var builder = new RootfsBuilder(spec, bundle, RootfsBuilder.ResolveRootfs(spec, bundle),
                       new CgroupMounter(cgroupsPath, namespaces.New.HasFlag(CloneFlags.NewCgroup))))
            {
                builder.MountAll();
                RuntimeTrace.Mark("init: mounted");
                toParent.Send(StageMessageKind.MountsReady);
                fromParent.Expect(StageMessageKind.HooksDone, "runtime");
                builder.PivotRoot();
                RuntimeTrace.Mark("init: pivoted");
            }
            PathRestrictions.Apply(spec);
            SetIdentity(spec, namespaces);
            launcher.Prepare(spec.Process.Terminal ? new SafeFileHandle(StageFds.ConsoleSocket, true) : null);
            RuntimeTrace.Mark("init: ready");
            toParent.Send(StageMessageKind.Ready);
            toParent.Dispose(); // create has exited: from here on failures go to the container's stderr
            WaitForStart();
            RuntimeTrace.Mark("init: started, exec");
            launcher.Exec();
            return 1;
        }
        catch (Exception e)
        {
            Report(toParent, e);
            return 1;
        }
    }

    private static void SetIdentity(Spec spec, NamespacePlan namespaces)
    {
        var ownUts = namespaces.New.HasFlag(CloneFlags.NewUts);
        if (!string.IsNullOrEmpty(spec.Hostname))
        {
            if (!ownUts) throw new StageFailedException("unable to set hostname without a private UTS namespace");
            ProcessCalls.SetHostname(spec.Hostname);
        }
        if (!string.IsNullOrEmpty(spec.Domainname))
        {
            if (!ownUts) throw new StageFailedException("unable to set domainname without a private UTS namespace");
            ProcessCalls.SetDomainname(spec.Domainname);
        }
        if (namespaces.New.HasFlag(CloneFlags.NewNet)) Loopback.Up();
    }

    /// <summary>Blocks until <c>start</c> opens the fifo's other end, then tells it we are going.</summary>
    private static void WaitForStart()
    {
        using var fifo = FileDescriptors.Open($"/proc/self/fd/{StageFds.ExecFifo}", OpenFlags.WriteOnly);
        FileDescriptors.WriteAll(fifo, "0"u8);
    }

    /// <summary>Sends the failure to the parent; if it is gone (after Ready), the container's stderr is all that is left.</summary>
    internal static void Report(StageChannel toParent, Exception error)
    {
        try
        {
            toParent.Send(StageMessage.Failure(error));
        }
        catch (Exception)
        {
            Console.Error.WriteLine($"berth-runtime init: {error.Message}");
        }
    }
}
