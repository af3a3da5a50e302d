using System.Diagnostics;
using Berth.Runtime.Cgroups;
using Berth.Testing;

namespace Berth.Conformance.Cgroups;

/// <summary>A conformance host on the machine's real cgroupfs: cgroups under /berth-conformance/&lt;guid&gt;, processes
/// are shells that wait for a line on stdin to do some work. Dispose kills them and removes every cgroup it handed out, in every hierarchy.</summary>
public sealed class HostCgroupTestHost : ICgroupTestHost
{
    private const string Parent = "/berth-conformance";
    private readonly List<string> _paths = [];
    private readonly Dictionary<int, Process> _processes = [];

    public HostCgroupTestHost()
    {
        Privileges.RequireRoot();
        Layout = CgroupLayout.Detect();
    }

    public CgroupLayout Layout { get; }

    public ICgroupFileSystem FileSystem => HostCgroupFileSystem.Instance;

    public string NewCgroupPath()
    {
        var path = Parent + "/" + Guid.NewGuid().ToString("N");
        _paths.Add(path);
        return path;
    }

    /// <summary>
    /// A shell that, per line read, builds and keeps a 1 MiB string. The line comes after the test moved the shell, so
    /// the string's pages and the CPU spent making it are charged to the new cgroup (charges made before a move stay
    /// with the old one). It exits at end of input, so a crashed test run leaves nothing behind.
    /// </summary>
    public int StartProcess()
    {
        const string Script = "while read _; do kept=$(head -c 1048576 /dev/zero | tr '\\0' a); echo done; done";
        var info = new ProcessStartInfo("sh", ["-c", Script]) { RedirectStandardInput = true, RedirectStandardOutput = true };
        var process = Process.Start(info)!;
        _processes[process.Id] = process;
        return process.Id;
    }

    public void Work(int pid)
    {
        var process = _processes[pid];
        process.StandardInput.WriteLine("work");
        process.StandardInput.Flush();
        var reply = process.StandardOutput.ReadLine();
        if (reply != "done") throw new InvalidOperationException($"the test process {pid} answered \"{reply}\" instead of \"done\"");
    }

    public void KillProcess(int pid) => _processes[pid].Kill();

    public void Dispose()
    {
        // A frozen task cannot die: thaw what a failed test may have left frozen before killing.
        foreach (var path in _paths) TryThaw(CgroupManagerFactory.Create(path, Layout));
        foreach (var process in _processes.Values)
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
            process.Dispose();
        }
        foreach (var path in _paths) CgroupManagerFactory.Create(path, Layout).Destroy();
        foreach (var dir in CgroupTestPaths.DirectoriesOf(Layout, Parent))
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Another run still uses the shared parent (EBUSY), or it is gone already.
            }
        }
    }

    private static void TryThaw(ICgroupManager manager)
    {
        try
        {
            manager.Thaw();
        }
        catch (CgroupException)
        {
            // Never created, or nothing to thaw.
        }
    }
}
