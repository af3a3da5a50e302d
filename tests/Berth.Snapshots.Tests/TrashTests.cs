using Berth.Testing;

namespace Berth.Snapshots.Tests;

public sealed class TrashTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly Trash _trash;

    public TrashTests() => _trash = new Trash(Path.Combine(_temp.Path, "trash"));

    public void Dispose() => _temp.Dispose();

    private string Tree(string name)
    {
        var root = _temp.CreateSubdirectory(name);
        Directory.CreateDirectory(Path.Combine(root, "a", "b"));
        File.WriteAllText(Path.Combine(root, "a", "b", "file"), "x");
        File.SetUnixFileMode(Path.Combine(root, "a"), UnixFileMode.UserRead | UnixFileMode.UserExecute); // a layer may hold 0500 dirs
        return root;
    }

    [Fact]
    public async Task A_discarded_tree_leaves_its_place_at_once_and_the_trash_once_deleted()
    {
        var tree = Tree("container");

        _trash.Discard(tree);

        Assert.False(Directory.Exists(tree));
        await _trash.DrainAsync();
        Assert.Empty(Directory.EnumerateFileSystemEntries(_trash.Directory));
    }

    [Fact]
    public async Task Discarding_nothing_is_a_no_op()
    {
        _trash.Discard(Path.Combine(_temp.Path, "missing"));

        await _trash.DrainAsync();
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "missing")));
    }

    [Fact]
    public async Task A_sweep_deletes_what_a_killed_process_left_in_the_trash()
    {
        Directory.CreateDirectory(_trash.Directory);
        Directory.Move(Tree("left"), Path.Combine(_trash.Directory, "0123456789abcdef"));

        var restarted = new Trash(_trash.Directory);
        restarted.Sweep();
        await restarted.DrainAsync();

        Assert.Empty(Directory.EnumerateFileSystemEntries(_trash.Directory));
    }
}
