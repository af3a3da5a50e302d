using System.Text;

namespace Berth.Runtime.Cgroups;

/// <summary>The real cgroupfs, through the .NET file APIs.</summary>
public sealed class HostCgroupFileSystem : ICgroupFileSystem
{
    public static HostCgroupFileSystem Instance { get; } = new();

    private HostCgroupFileSystem()
    {
    }

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public bool FileExists(string path) => File.Exists(path);

    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    public void RemoveDirectory(string path) => Directory.Delete(path, recursive: false);

    public IReadOnlyList<string> GetDirectories(string path) => Directory.GetDirectories(path);

    public string ReadFile(string path) => File.ReadAllText(path);

    public void SetDeviceFilter(string path, ulong[] program)
    {
        try
        {
            Berth.Linux.CgroupDeviceProgram.Replace(path, program);
        }
        catch (Berth.Linux.LinuxException e)
        {
            throw new CgroupException($"device filter of {path}: {e.Message}", e);
        }
    }

    public void WriteFile(string path, string value)
    {
        // FileMode.Truncate never creates: a missing control file is ENOENT, as the kernel means it.
        using var handle = File.OpenHandle(path, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite);
        RandomAccess.Write(handle, Encoding.UTF8.GetBytes(value), fileOffset: 0);
    }
}
