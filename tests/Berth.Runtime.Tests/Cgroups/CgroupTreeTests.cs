using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class CgroupTreeTests : IDisposable
{
    private readonly RecordingCgroupFileSystem _fs = new();

    [Fact]
    public void CreateLevels_makes_each_level_under_the_mount_point()
    {
        var mount = _fs.Dir("memory").Path;

        var levels = CgroupTree.CreateLevels(_fs, mount, "/berth/x");

        Assert.Equal([mount, mount + "/berth", mount + "/berth/x"], levels.Select(l => l.Path));
        Assert.True(Directory.Exists(mount + "/berth/x"));
    }

    [Fact]
    public void CreateLevels_refuses_a_missing_mount_point()
    {
        var error = Assert.Throws<CgroupException>(() => CgroupTree.CreateLevels(_fs, _fs.Root + "/absent", "/berth/x"));

        Assert.Contains("not mounted", error.Message);
        Assert.False(Directory.Exists(_fs.Root + "/absent"));
    }

    [Fact]
    public void Remove_takes_children_first_and_retries_a_busy_directory()
    {
        var dir = _fs.Dir("pids/berth/x/child/grandchild").Path;
        _fs.BusyRemovals = 3;
        var errors = new List<CgroupException>();

        CgroupTree.Remove(_fs, _fs.Root + "/pids/berth/x", errors);

        Assert.Empty(errors);
        Assert.False(Directory.Exists(_fs.Root + "/pids/berth/x"));
        Assert.True(Directory.Exists(_fs.Root + "/pids/berth"));
        Assert.Equal(3 + 3, _fs.RemoveAttempts);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Remove_gives_up_on_a_directory_busy_for_good_naming_it()
    {
        var dir = _fs.Dir("pids/berth/x").Path;
        _fs.BusyRemovals = int.MaxValue;
        var errors = new List<CgroupException>();

        CgroupTree.Remove(_fs, dir, errors);

        Assert.Equal($"rmdir {dir}: Device or resource busy", Assert.Single(errors).Message);
        Assert.Equal(20, _fs.RemoveAttempts);
    }

    [Fact]
    public void Remove_of_an_absent_directory_is_nothing()
    {
        var errors = new List<CgroupException>();

        CgroupTree.Remove(_fs, _fs.Root + "/pids/absent", errors);

        Assert.Empty(errors);
        Assert.Equal(0, _fs.RemoveAttempts);
    }

    [Fact]
    public void ReadPids_collects_the_subtree()
    {
        var parent = _fs.Seed("pids/x", ("cgroup.procs", "10\n11\n"));
        _fs.Seed("pids/x/child", ("cgroup.procs", "12\n"));
        var pids = new SortedSet<int>();

        CgroupTree.ReadPids(_fs, parent.Path, pids);

        Assert.Equal([10, 11, 12], pids);
    }

    public void Dispose() => _fs.Dispose();
}
