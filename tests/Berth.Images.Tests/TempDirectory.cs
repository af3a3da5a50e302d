using Berth.Linux;

namespace Berth.Images.Tests;

/// <summary>
/// A fresh directory under the temp dir, removed on dispose even where a layer left it read-only. The walk uses lstat
/// and never descends through a symlink: layers hold links to <c>/</c>, and following one would touch the host.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateDirectory(
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "berth-images-" + Guid.NewGuid().ToString("N"))).FullName;

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => Delete(Path);

    private static void Delete(string path)
    {
        if (FileStatus.TryGet(path) is not { } status) return;
        if (status.Kind != FileKind.Directory)
        {
            File.Delete(path); // a symlink is removed itself, never followed
            return;
        }
        File.SetUnixFileMode(path, (UnixFileMode)0x1C0);
        foreach (var child in Directory.EnumerateFileSystemEntries(path)) Delete(child);
        Directory.Delete(path);
    }
}
