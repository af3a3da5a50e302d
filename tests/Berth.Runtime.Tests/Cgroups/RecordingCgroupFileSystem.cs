using Berth.Linux;
using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

/// <summary>
/// The host file system over a temp directory, recording every write and able to fail chosen operations with an
/// errno, as the kernel would. Control files exist only where a test seeds them.
/// </summary>
internal sealed class RecordingCgroupFileSystem : ICgroupFileSystem, IDisposable
{
    private readonly Dictionary<string, Queue<int>> _writeFailures = [];

    public RecordingCgroupFileSystem() => Root = Directory.CreateTempSubdirectory("berth-cgroup-unit-").FullName;

    public string Root { get; }

    public List<(string File, string Value)> Writes { get; } = [];

    /// <summary>Names of the files written, in order ("memory.limit_in_bytes").</summary>
    public IEnumerable<string> WrittenNames => Writes.Select(w => Path.GetFileName(w.File));

    /// <summary>Replaces what a read returns: (path) → content, or null to read the file.</summary>
    public Func<string, string?>? ReadOverride { get; set; }

    public int BusyRemovals { get; set; }

    /// <summary>The device programs attached, by cgroup directory (the last one wins, as a replace).</summary>
    public Dictionary<string, ulong[]> DeviceFilters { get; } = [];

    public void SetDeviceFilter(string path, ulong[] program) => DeviceFilters[path] = program;

    public int RemoveAttempts { get; private set; }

    public CgroupDirectory Dir(string relative = "cg")
    {
        var path = Path.Join(Root, relative);
        Directory.CreateDirectory(path);
        return new CgroupDirectory(this, path);
    }

    public CgroupDirectory Seed(string relative, params (string File, string Value)[] files)
    {
        var dir = Dir(relative);
        foreach (var (file, value) in files) File.WriteAllText(dir.FileOf(file), value);
        return dir;
    }

    /// <summary>The next writes to a file of this name fail with these errnos, one per write.</summary>
    public void FailWrites(string fileName, params int[] errnos) => _writeFailures[fileName] = new Queue<int>(errnos);

    public string Content(CgroupDirectory dir, string file) => File.ReadAllText(dir.FileOf(file));

    public bool DirectoryExists(string path) => HostCgroupFileSystem.Instance.DirectoryExists(path);

    public bool FileExists(string path) => HostCgroupFileSystem.Instance.FileExists(path);

    public void CreateDirectory(string path) => HostCgroupFileSystem.Instance.CreateDirectory(path);

    public void RemoveDirectory(string path)
    {
        RemoveAttempts++;
        if (BusyRemovals > 0)
        {
            BusyRemovals--;
            throw new IOException("Device or resource busy", Errno.EBUSY);
        }
        HostCgroupFileSystem.Instance.RemoveDirectory(path);
    }

    public IReadOnlyList<string> GetDirectories(string path) => HostCgroupFileSystem.Instance.GetDirectories(path);

    public string ReadFile(string path) => ReadOverride?.Invoke(path) ?? HostCgroupFileSystem.Instance.ReadFile(path);

    public void WriteFile(string path, string value)
    {
        if (_writeFailures.TryGetValue(Path.GetFileName(path), out var errnos) && errnos.TryDequeue(out var errno))
            throw new IOException(LinuxException.Describe(errno), errno);
        HostCgroupFileSystem.Instance.WriteFile(path, value);
        Writes.Add((path, value));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
