using Berth.Linux;
using Berth.Snapshots.Layers;
using Berth.Testing;

namespace Berth.Snapshots.Tests;

public sealed class LayerApplierTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _target;

    public LayerApplierTests() => _target = _temp.CreateSubdirectory("target");

    public void Dispose() => _temp.Dispose();

    private Task<long> Apply(LayerTar layer, WhiteoutMode mode = WhiteoutMode.Delete) => Apply(layer.ToStream(), mode);

    private Task<long> Apply(Stream layer, WhiteoutMode mode = WhiteoutMode.Delete) => LayerApplier.ApplyAsync(layer, _target, mode);

    private string InTarget(string relative) => Path.Combine(_target, relative);

    /// <summary>Everything in the test's temp dir except the target: a hostile layer must leave it empty.</summary>
    private void AssertNothingOutsideTarget() =>
        Assert.Equal([_target], Directory.EnumerateFileSystemEntries(_temp.Path));

    [Fact]
    public async Task FilesDirectoriesAndSymlinksKeepTheirContentModesAndTimes()
    {
        var written = await Apply(new LayerTar()
            .Dir("etc/", (UnixFileMode)0x1C0)
            .File("etc/hostname", "box\n", (UnixFileMode)0x180)
            .File("bin/tool", "#!/bin/sh\n", (UnixFileMode)0x9ED) // setuid 4755
            .Symlink("etc/link", "hostname"));

        Assert.Equal(14, written);
        Assert.Equal("box\n", File.ReadAllText(InTarget("etc/hostname")));
        Assert.Equal(0x180u, FileStatus.Get(InTarget("etc/hostname")).Permissions);
        Assert.Equal(0x9EDu, FileStatus.Get(InTarget("bin/tool")).Permissions);
        Assert.Equal(0x1C0u, FileStatus.Get(InTarget("etc")).Permissions);
        Assert.Equal(LayerTar.Mtime, FileStatus.Get(InTarget("etc/hostname")).ModificationTime);
        Assert.Equal(LayerTar.Mtime, FileStatus.Get(InTarget("etc")).ModificationTime);
        Assert.Equal("hostname", new FileInfo(InTarget("etc/link")).LinkTarget);
        Assert.Equal(FileKind.Directory, FileStatus.Get(InTarget("bin")).Kind); // a missing parent is created
    }

    [Fact]
    public async Task GzipAndZstdLayersUnpackLikeThePlainTar()
    {
        static LayerTar Layer() => new LayerTar().File("a", "alpha").File("d/b", "beta");
        await Apply(Layer().ToGzipStream());
        Assert.Equal("alpha", File.ReadAllText(InTarget("a")));
        Directory.Delete(InTarget("d"), recursive: true);
        await Apply(Layer().ToZstdStream());
        Assert.Equal("beta", File.ReadAllText(InTarget("d/b")));
    }

    [Fact]
    public async Task ADirectoryMadeReadOnlyStillReceivesItsChildren()
    {
        await Apply(new LayerTar().Dir("ro/", (UnixFileMode)0x16D).File("ro/inside", "x"));
        Assert.Equal("x", File.ReadAllText(InTarget("ro/inside")));
        Assert.Equal(0x16Du, FileStatus.Get(InTarget("ro")).Permissions);
    }

    [Fact]
    public async Task HardLinksInsideTheLayerShareAnInode()
    {
        await Apply(new LayerTar().File("bin/busybox", "bb").HardLink("bin/sh", "bin/busybox"));
        Assert.Equal(FileStatus.Get(InTarget("bin/busybox")).Inode, FileStatus.Get(InTarget("bin/sh")).Inode);
    }

    [Fact]
    public async Task FifosAreCreated()
    {
        await Apply(new LayerTar().Fifo("run/pipe"));
        Assert.Equal(FileKind.Fifo, FileStatus.Get(InTarget("run/pipe")).Kind);
    }

    [Fact]
    public async Task UserXattrsFromPaxRecordsAreSet()
    {
        await Apply(new LayerTar().File("f", "x", attributes: [new("SCHILY.xattr.user.berth", "yes")]));
        Assert.Equal("yes"u8.ToArray(), Xattrs.TryGet(InTarget("f"), "user.berth"));
    }

    [Fact]
    public async Task AFileReplacesAnExistingSymlinkInsteadOfWritingThroughIt()
    {
        var victim = _temp.Combine("victim");
        await Apply(new LayerTar().Symlink("f", victim));
        await Apply(new LayerTar().File("f", "new"));
        Assert.Equal(FileKind.Regular, FileStatus.Get(InTarget("f")).Kind);
        AssertNothingOutsideTarget();
    }

    [Fact]
    public async Task WhiteoutsDeleteWhatLowerLayersWrote()
    {
        await Apply(new LayerTar().File("gone", "1").File("dir/old", "2").File("keep", "3"));
        await Apply(new LayerTar().Whiteout(".wh.gone").Whiteout("dir/.wh..wh..opq").File("dir/new", "4"));
        Assert.False(File.Exists(InTarget("gone")));
        Assert.False(File.Exists(InTarget("dir/old")));
        Assert.Equal("4", File.ReadAllText(InTarget("dir/new")));
        Assert.True(File.Exists(InTarget("keep")));
    }

    [Fact]
    public async Task AWhiteoutUnderAMissingDirectoryCreatesNothing()
    {
        await Apply(new LayerTar().Whiteout("missing/.wh.x").Whiteout("other/.wh..wh..opq"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_target));
    }

    [Fact]
    public async Task OpaqueMarkerAfterNewChildrenKeepsThem()
    {
        await Apply(new LayerTar().File("dir/old", "2"));
        await Apply(new LayerTar().File("dir/new", "4").Whiteout("dir/.wh..wh..opq"));
        Assert.Equal(["new"], Directory.EnumerateFileSystemEntries(InTarget("dir")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task DotDotIsRefusedAndWritesNothingOutside()
    {
        var error = await Assert.ThrowsAsync<SnapshotException>(() => Apply(new LayerTar().File("../x", "evil")));
        Assert.Equal(SnapshotErrorKind.InvalidArgument, error.Kind);
        await Assert.ThrowsAsync<SnapshotException>(() => Apply(new LayerTar().File("a/../../x", "evil")));
        AssertNothingOutsideTarget();
    }

    [Fact]
    public async Task AbsoluteNamesLandInsideTheTarget()
    {
        var outside = _temp.Combine("abs");
        await Apply(new LayerTar().File(outside, "in").File("/etc/x", "in"));
        Assert.Equal("in", File.ReadAllText(InTarget(outside.TrimStart('/'))));
        Assert.Equal("in", File.ReadAllText(InTarget("etc/x")));
        AssertNothingOutsideTarget();
    }

    [Fact]
    public async Task ASymlinkToRootThenAFileThroughItStaysInside()
    {
        // Unique names, removed from the host's / should a regression ever put them there.
        var (first, second) = ("berth-pwned-" + Guid.NewGuid().ToString("N"), "berth-pwned-" + Guid.NewGuid().ToString("N"));
        try
        {
            await Apply(new LayerTar().Symlink("root", "/").Symlink("up", "../../../../..").File("root/" + first, "1").File("up/" + second, "2"));
            Assert.Equal("1", File.ReadAllText(InTarget(first)));
            Assert.Equal("2", File.ReadAllText(InTarget(second)));
            Assert.False(File.Exists("/" + first) || File.Exists("/" + second));
            AssertNothingOutsideTarget();
        }
        finally
        {
            File.Delete("/" + first);
            File.Delete("/" + second);
        }
    }

    [Fact]
    public async Task ASymlinkToAnOutsideDirectoryIsNotWrittenThrough()
    {
        var outside = _temp.CreateSubdirectory("outside");
        try
        {
            await Apply(new LayerTar().Symlink("escape", outside).File("escape/pwned", "1"));
        }
        catch (SnapshotException e) when (e.Kind == SnapshotErrorKind.InvalidArgument)
        {
            // refusing is as good as keeping it inside
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact]
    public async Task AHardLinkToAHostFileIsRefused()
    {
        var host = _temp.Combine("passwd");
        File.WriteAllText(host, "root:x:0:0");
        var error = await Assert.ThrowsAsync<SnapshotException>(() => Apply(new LayerTar().HardLink("stolen", host)));
        Assert.Equal(SnapshotErrorKind.InvalidArgument, error.Kind);
        await Assert.ThrowsAsync<SnapshotException>(() => Apply(new LayerTar().HardLink("stolen2", "/etc/passwd")));
        Assert.False(File.Exists(InTarget("stolen")));
        Assert.Equal(1u, FileStatus.Get(host).LinkCount);
    }

    [Fact]
    public async Task AHardLinkThroughASymlinkedDirectoryLinksOnlyInsideTheTarget()
    {
        var hostDir = _temp.CreateSubdirectory("hostetc");
        File.WriteAllText(Path.Combine(hostDir, "passwd"), "host");
        await Apply(new LayerTar().Symlink("etc", hostDir).File("mine", "x"));
        await Assert.ThrowsAsync<SnapshotException>(() => Apply(new LayerTar().HardLink("stolen", "etc/passwd")));
        Assert.Equal(1u, FileStatus.Get(Path.Combine(hostDir, "passwd")).LinkCount);
    }

    [Fact]
    public async Task GarbageIsNotATar()
    {
        var error = await Assert.ThrowsAsync<SnapshotException>(() => Apply(new MemoryStream(Enumerable.Repeat((byte)'z', 2048).ToArray())));
        Assert.Equal(SnapshotErrorKind.InvalidArgument, error.Kind);
    }

    [PrivilegedFact]
    public async Task OwnersAndTrustedXattrsAreKeptAsRoot()
    {
        await Apply(new LayerTar().File("owned", "x", uid: 1234, gid: 5678, attributes: [new("SCHILY.xattr.trusted.berth", "t")]));
        var status = FileStatus.Get(InTarget("owned"));
        Assert.Equal((1234u, 5678u), (status.Uid, status.Gid));
        Assert.Equal("t"u8.ToArray(), Xattrs.TryGet(InTarget("owned"), "trusted.berth"));
    }

    [PrivilegedFact]
    public async Task DeviceNodesAreCreatedAsRoot()
    {
        await Apply(new LayerTar().CharDevice("dev/null", 1, 3));
        var status = FileStatus.Get(InTarget("dev/null"));
        Assert.Equal((FileKind.CharDevice, 1u, 3u), (status.Kind, status.RdevMajor, status.RdevMinor));
    }

    [PrivilegedFact]
    public async Task OverlayModeWritesOverlayWhiteouts()
    {
        await Apply(new LayerTar().Whiteout(".wh.gone").Dir("dir/").Whiteout("dir/.wh..wh..opq"), WhiteoutMode.Overlay);
        var whiteout = FileStatus.Get(InTarget("gone"));
        Assert.Equal((FileKind.CharDevice, 0u, 0u), (whiteout.Kind, whiteout.RdevMajor, whiteout.RdevMinor));
        Assert.Equal("y"u8.ToArray(), Xattrs.TryGet(InTarget("dir"), "trusted.overlay.opaque"));
    }
}
