namespace Berth.Runtime.Cgroups;

/// <summary>
/// The file operations the cgroup managers perform on cgroupfs, with its semantics: a directory made by
/// <see cref="CreateDirectory"/> comes with its control files, <see cref="RemoveDirectory"/> removes a directory that
/// still holds them, and a write is one write(2) the kernel may refuse. <see cref="HostCgroupFileSystem"/> is the
/// kernel; tests substitute an emulator over a temp directory. Failures are the exceptions .NET throws for the host
/// (an <see cref="IOException"/> whose HResult is the errno, or the *NotFound types for ENOENT).
/// </summary>
public interface ICgroupFileSystem
{
    bool DirectoryExists(string path);

    bool FileExists(string path);

    /// <summary>mkdir(2); a directory that already exists is not an error.</summary>
    void CreateDirectory(string path);

    /// <summary>rmdir(2) of a cgroup directory (EBUSY while it has processes or children).</summary>
    void RemoveDirectory(string path);

    /// <summary>The subdirectories (child cgroups) of a cgroup directory, as full paths.</summary>
    IReadOnlyList<string> GetDirectories(string path);

    string ReadFile(string path);

    /// <summary>Opens an existing file write-only with O_TRUNC (never creates it) and writes the value in one write(2).</summary>
    void WriteFile(string path, string value);

    /// <summary>Attaches the eBPF device program to the cgroup v2 directory, replacing the one attached before.</summary>
    void SetDeviceFilter(string path, ulong[] program);
}
