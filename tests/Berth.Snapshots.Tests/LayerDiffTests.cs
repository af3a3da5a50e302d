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

    [Fact]
    public async Task Binary_xattr_values_are_written_as_their_raw_bytes()
    {
        byte[] binary = [0xff, 0xfe, 0x00, 0x80];
        byte[] capability = [1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // cap_net_bind_service, effective
        var upper = await Unpack("upper", new LayerTar().File("a-first", "1").File("capfile", "x").Dir("dir/").File("z-last", "2"));
        Xattrs.Set(Path.Combine(upper, "capfile"), "user.bin", binary);
        Xattrs.Set(Path.Combine(upper, "capfile"), "user.text", "plain"u8);
        Xattrs.Set(Path.Combine(upper, "dir"), "user.bin", binary);
        if (Privileges.IsRoot) Xattrs.Set(Path.Combine(upper, "capfile"), "security.capability", capability);
        using var diff = new MemoryStream();
        await LayerDiff.WriteTreeDiffAsync(null, upper, diff);

        Assert.Equal(["a-first", "capfile", "dir/", "z-last"], LayerTar.Names(diff)); // .NET's reader takes the whole archive
        diff.Position = 0;
        var reader = new LayerTarReader(diff);
        var entries = new Dictionary<string, LayerTarEntry>();
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            entries[entry.Name] = entry;
            if (entry.Name == "capfile") Assert.Equal("x", await new StreamReader(entry.DataStream!).ReadToEndAsync());
        }
        Assert.Equal(binary, entries["capfile"].Xattrs["user.bin"]);
        Assert.Equal("plain"u8.ToArray(), entries["capfile"].Xattrs["user.text"]);
        Assert.Equal(binary, entries["dir/"].Xattrs["user.bin"]);
        if (Privileges.IsRoot) Assert.Equal(capability, entries["capfile"].Xattrs["security.capability"]);

        diff.Position = 0;
        var copy = _temp.CreateSubdirectory("copy");
        await LayerApplier.ApplyAsync(diff, copy, WhiteoutMode.Delete);
        Assert.Equal(binary, Xattrs.TryGet(Path.Combine(copy, "capfile"), "user.bin"));
        Assert.Equal("2", File.ReadAllText(Path.Combine(copy, "z-last")));
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
