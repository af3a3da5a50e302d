using Berth.Linux;

namespace Berth.Snapshots.Tests;

/// <summary>A fresh directory under the system temp dir, removed with everything in it (read-only dirs too) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "berth-snapshots-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string CreateSubdirectory(string name) => Directory.CreateDirectory(Combine(name)).FullName;

    public void Dispose() => Delete(Path);

    private static void Delete(string path)
    {
        if (FileStatus.TryGet(path) is not { } status) return;
        if (status.Kind != FileKind.Directory)
        {
            File.Delete(path);
            return;
        }
        File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
        foreach (var child in Directory.EnumerateFileSystemEntries(path)) Delete(child);
        Directory.Delete(path);
    }
}
