using Berth.Snapshots.Layers;
using Berth.Testing;

namespace Berth.Snapshots.Tests;

public sealed class LayerChangesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<string> Unpack(string name, LayerTar layer, WhiteoutMode mode = WhiteoutMode.Delete)
    {
        var dir = _temp.CreateSubdirectory(name);
        await LayerApplier.ApplyAsync(layer.ToStream(), dir, mode);
        return dir;
    }

    private static List<string> Lines(IEnumerable<FileChange> changes) => [.. changes.Select(c => $"{"CAD"[(int)c.Kind]} {c.Path}")];

    [Fact]
    public async Task A_tree_reports_added_changed_and_deleted_names_with_their_parent_dirs_modified()
    {
        var lower = await Unpack("lower", new LayerTar().File("etc/passwd", "root").File("etc/group", "g").File("same", "1"));
        var upper = await Unpack("upper", new LayerTar().File("etc/passwd", "root and more").File("same", "1").File("data/f", "x"));

        var changes = LayerChanges.OfTree(lower, upper);

        Assert.Equal(["C /etc", "D /etc/group", "A /data", "A /data/f", "C /etc/passwd"], Lines(changes));
    }

    [PrivilegedFact]
    public async Task An_overlay_upper_dir_reports_whiteouts_as_deletions_and_what_the_lowers_have_as_modified()
    {
        var lower = await Unpack("lower", new LayerTar().File("etc/passwd", "root").File("etc/group", "g").File("opaque/old", "o").File("keep", "k"));
        var upper = await Unpack("upper", new LayerTar().File("etc/passwd", "changed").Whiteout("etc/.wh.group").File("data/f", "x")
            .Dir("opaque/").Whiteout("opaque/.wh..wh..opq").File("opaque/new", "n"), WhiteoutMode.Overlay);

        var changes = LayerChanges.OfOverlayUpper(upper, [lower]);

        Assert.Equal(["A /data", "A /data/f", "C /etc", "D /etc/group", "C /etc/passwd", "C /opaque", "D /opaque/old", "A /opaque/new"],
            Lines(changes));
    }

    [Fact]
    public async Task Nothing_changed_is_an_empty_list()
    {
        var lower = await Unpack("lower", new LayerTar().File("a", "1"));
        var upper = await Unpack("upper", new LayerTar().File("a", "1"));
        File.SetLastWriteTimeUtc(Path.Combine(upper, "a"), File.GetLastWriteTimeUtc(Path.Combine(lower, "a")));
        Assert.Empty(LayerChanges.OfTree(lower, upper));
    }

    [Fact]
    public async Task Hidden_paths_are_left_out_with_the_parent_they_alone_changed()
    {
        var lower = await Unpack("lower", new LayerTar().File("etc/passwd", "root"));
        var upper = await Unpack("upper", new LayerTar().File("etc/passwd", "root").File("etc/hostname", "").File("tmp/x", "x"));

        var changes = LayerChanges.OfTree(lower, upper, new HashSet<string> { "/etc/hostname" });

        Assert.Equal(["A /tmp", "A /tmp/x"], Lines(changes));
    }
}
