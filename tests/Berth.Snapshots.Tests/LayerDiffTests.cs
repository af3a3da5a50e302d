using Berth.Linux;
using Berth.Snapshots.Layers;
using Berth.Testing;

namespace Berth.Snapshots.Tests;

public sealed class LayerDiffTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<string> Unpack(string name, LayerTar layer, WhiteoutMode mode = WhiteoutMode.Delete)
    {
        var dir = _temp.CreateSubdirectory(name);
        await LayerApplier.ApplyAsync(layer.ToStream(), dir, mode);
        return dir;
    }

    [Fact]
    public async Task TreeDiffHoldsChangesAdditionsAndDeletionsOnly()
    {
        var lower = await Unpack("lower", new LayerTar().File("same", "1").File("changed", "1").File("gone", "1").File("dir/gone", "1").File("olddir/x", "1"));
        var upper = _temp.CreateSubdirectory("upper");
        await LayerApplier.ApplyAsync(new LayerTar().File("same", "1").File("changed", "22").File("added", "3").Dir("dir/").ToStream(), upper, WhiteoutMode.Delete);

        using var diff = new MemoryStream();
        await LayerDiff.WriteTreeDiffAsync(lower, upper, diff);

        Assert.Equal(Sorted([".wh.gone", ".wh.olddir", "added", "changed", "dir/.wh.gone"]), Sorted(LayerTar.Names(diff)));
    }

    [Fact]
    public async Task ATreeDiffAppliedOnTheLowerTreeRecreatesTheUpperTree()
    {
        var lower = await Unpack("lower", new LayerTar().File("a", "1").File("d/b", "2").File("d/c", "3").Symlink("l", "a"));
        var upper = await Unpack("upper", new LayerTar().File("a", "changed").File("d/b", "2").Symlink("l", "d/b").File("e/f", "new").HardLink("e/g", "e/f"));
        using var diff = new MemoryStream();
        await LayerDiff.WriteTreeDiffAsync(lower, upper, diff);

        diff.Position = 0;
        await LayerApplier.ApplyAsync(diff, lower, WhiteoutMode.Delete);

        Assert.Equal(Listing(upper), Listing(lower));
        Assert.Equal(FileStatus.Get(Path.Combine(lower, "e/f")).Inode, FileStatus.Get(Path.Combine(lower, "e/g")).Inode);
    }

    [Fact]
    public async Task TheFirstLayerIsTheWholeTree()
    {
        var upper = await Unpack("upper", new LayerTar().File("a", "1").File("d/b", "2"));
        using var diff = new MemoryStream();
        await LayerDiff.WriteTreeDiffAsync(null, upper, diff);
        Assert.Equal(["a", "d/", "d/b"], LayerTar.Names(diff));
    }

    [PrivilegedFact]
    public async Task AnOverlayUpperDirTurnsWhiteoutsBackIntoWhNames()
    {
        var upper = await Unpack("upper", new LayerTar().File("new", "1").Whiteout(".wh.gone").Dir("opaque/").Whiteout("opaque/.wh..wh..opq").File("opaque/x", "2"),
            WhiteoutMode.Overlay);
        using var diff = new MemoryStream();
        await LayerDiff.WriteOverlayUpperAsync(upper, diff);
        Assert.Equal([".wh.gone", "new", "opaque/", "opaque/.wh..wh..opq", "opaque/x"], LayerTar.Names(diff));
    }

    private static List<string> Sorted(IEnumerable<string> names) => [.. names.Order(StringComparer.Ordinal)];

    /// <summary>Each entry as "path kind mode size target content", for comparing whole trees.</summary>
    private static List<string> Listing(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(path =>
        {
            var status = FileStatus.Get(path);
            var content = status.Kind == FileKind.Regular ? File.ReadAllText(path) : "";
            return $"{Path.GetRelativePath(root, path)} {status.Kind} {status.Permissions} {status.Size} {new FileInfo(path).LinkTarget} {content}";
        })];
}
