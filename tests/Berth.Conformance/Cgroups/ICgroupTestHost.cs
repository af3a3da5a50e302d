using Berth.Runtime.Cgroups;

namespace Berth.Conformance.Cgroups;

/// <summary>Where a conformance run happens: a cgroupfs (emulated or the kernel's) and processes to put in it.</summary>
public interface ICgroupTestHost : IDisposable
{
    CgroupLayout Layout { get; }

    ICgroupFileSystem FileSystem { get; }

    /// <summary>A cgroup path no other test uses; the host removes it everywhere when disposed.</summary>
    string NewCgroupPath();

    /// <summary>A live process that can be moved between cgroups.</summary>
    int StartProcess();

    /// <summary>Makes the process use some CPU and allocate memory it keeps, charged to the cgroup it is in now;
    /// returns once it has.</summary>
    void Work(int pid);

    /// <summary>Kills the process without waiting for it to be reaped, as a container's init dies.</summary>
    void KillProcess(int pid);
}
