using Berth.Linux;

namespace Berth.Snapshots.Tests;

public sealed class NativeSnapshotterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AChildStartsAsAnExactCopyOfItsParent()
    {
        var snapshotter = new NativeSnapshotter(_temp.Path);
        await snapshotter.PrepareAsync("base-active", null);
        await snapshotter.ApplyLayerAsync("base-active", new LayerTar()
            .Dir("ro/", (UnixFileMode)0x16D).File("ro/file", "data", (UnixFileMode)0x1E4)
            .File("bin/busybox", "bb").HardLink("bin/sh", "bin/busybox").Symlink("link", "bin/sh").Fifo("pipe")
            .File("attr", "x", attributes: [new("SCHILY.xattr.user.k", "v")]).ToStream());
        await snapshotter.CommitAsync("base", "base-active");
        var parent = (await snapshotter.ViewAsync("parent-view", "base"))[0].Source;

        var child = (await snapshotter.PrepareAsync("child", "base"))[0].Source;

        Assert.Equal(Listing(parent), Listing(child));
        Assert.Equal(FileStatus.Get(Path.Combine(child, "bin/busybox")).Inode, FileStatus.Get(Path.Combine(child, "bin/sh")).Inode);
        Assert.NotEqual(FileStatus.Get(Path.Combine(parent, "bin/sh")).Inode, FileStatus.Get(Path.Combine(child, "bin/sh")).Inode);
        Assert.Equal("v"u8.ToArray(), Xattrs.TryGet(Path.Combine(child, "attr"), "user.k"));
    }

    private static List<string> Listing(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(path =>
        {
            var s = FileStatus.Get(path);
            return $"{Path.GetRelativePath(root, path)} {s.Kind} {s.Permissions} {s.Uid}:{s.Gid} {s.Size} {s.ModificationTime:O} {s.LinkCount} {new FileInfo(path).LinkTarget}";
        })];
}
