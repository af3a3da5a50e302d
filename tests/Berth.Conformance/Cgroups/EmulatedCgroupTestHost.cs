using Berth.Runtime.Cgroups;

namespace Berth.Conformance.Cgroups;

/// <summary>A conformance host over <see cref="CgroupFsEmulator"/>; its "processes" are pids nobody else uses.</summary>
public sealed class EmulatedCgroupTestHost(CgroupFsEmulator emulator) : ICgroupTestHost
{
    private int _nextPid = 400_000;

    public CgroupLayout Layout => emulator.Layout;

    public ICgroupFileSystem FileSystem => emulator;

    public string NewCgroupPath() => "/berth-conformance/" + Guid.NewGuid().ToString("N");

    public int StartProcess() => Interlocked.Increment(ref _nextPid);

    public void Work(int pid) => emulator.Charge(pid, memoryBytes: 1024 * 1024, cpuNanoseconds: 20_000_000);

    public void KillProcess(int pid)
    {
        emulator.Exit(pid);
        // A killed task leaves its cgroup only once reaped: the first rmdirs see EBUSY.
        emulator.FailNextRemovalsWithBusy(3);
    }

    public void Dispose() => emulator.Dispose();
}
