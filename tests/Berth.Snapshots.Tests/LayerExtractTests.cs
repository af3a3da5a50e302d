using Berth.Linux;
using Berth.Snapshots.Layers;

namespace Berth.Snapshots.Tests;

public sealed class LayerExtractTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task Extract(string dir, LayerTar tar, ExtractOptions? options = null)
    {
        using var handle = FileDescriptors.Open(dir, OpenFlags.Path | OpenFlags.Directory);
        await LayerApplier.ExtractAsync(tar.ToStream(), handle, options ?? new ExtractOptions());
    }

    [Fact]
    public async Task Whiteout_names_are_ordinary_files_in_a_plain_tar()
    {
        var dir = _temp.CreateSubdirectory("target");
        File.WriteAllText(Path.Combine(dir, "kept"), "k");
        await Extract(dir, new LayerTar().File(".wh.kept", "literal").File("d/.wh..wh..opq", "also"));
        Assert.Equal("k", File.ReadAllText(Path.Combine(dir, "kept")));
        Assert.Equal("literal", File.ReadAllText(Path.Combine(dir, ".wh.kept")));
        Assert.Equal("also", File.ReadAllText(Path.Combine(dir, "d/.wh..wh..opq")));
    }

    [Fact]
    public async Task No_overwrite_dir_non_dir_refuses_to_replace_a_directory_by_a_file_and_the_reverse()
    {
        var dir = _temp.CreateSubdirectory("target");
        Directory.CreateDirectory(Path.Combine(dir, "d"));
        File.WriteAllText(Path.Combine(dir, "f"), "f");
        var options = new ExtractOptions(NoOverwriteDirNonDir: true);

        var toFile = await Assert.ThrowsAsync<SnapshotException>(() => Extract(dir, new LayerTar().File("d", "x"), options));
        Assert.Contains("cannot overwrite directory \"/d\" with non-directory \"d\"", toFile.Message);
        var toDir = await Assert.ThrowsAsync<SnapshotException>(() => Extract(dir, new LayerTar().Dir("f/"), options));
        Assert.Contains("cannot overwrite non-directory \"/f\" with directory \"f/\"", toDir.Message);

        await Extract(dir, new LayerTar().File("d", "x"));
        Assert.Equal("x", File.ReadAllText(Path.Combine(dir, "d")));
    }

    [Fact]
    public async Task A_link_in_the_target_leads_nowhere_outside_it_and_dot_dot_is_refused()
    {
        var outside = _temp.CreateSubdirectory("outside");
        var dir = _temp.CreateSubdirectory("target");
        File.CreateSymbolicLink(Path.Combine(dir, "root"), "/");
        File.CreateSymbolicLink(Path.Combine(dir, "escape"), outside);

        await Extract(dir, new LayerTar().File("root/planted", "p"));
        Assert.Equal("p", File.ReadAllText(Path.Combine(dir, "planted")));
        await Assert.ThrowsAsync<SnapshotException>(() => Extract(dir, new LayerTar().File("escape/planted", "p")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        await Assert.ThrowsAsync<SnapshotException>(() => Extract(dir, new LayerTar().File("../planted", "p")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }
}
