using Berth.Runtime.Cgroups;
using Berth.Runtime.Cgroups.V1;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class CpusetV1Tests : IDisposable
{
    private readonly RecordingCgroupFileSystem _fs = new();

    [Fact]
    public void Empty_levels_get_their_parents_cpus_and_mems_top_down()
    {
        CgroupDirectory[] levels =
        [
            _fs.Seed("cpuset", ("cpuset.cpus", "0-3\n"), ("cpuset.mems", "0\n")),
            _fs.Seed("cpuset/berth", ("cpuset.cpus", "\n"), ("cpuset.mems", "")),
            _fs.Seed("cpuset/berth/x", ("cpuset.cpus", ""), ("cpuset.mems", "")),
        ];

        CpusetV1.InitializeFromParents(levels);

        Assert.Equal("0-3", _fs.Content(levels[2], "cpuset.cpus"));
        Assert.Equal("0", _fs.Content(levels[2], "cpuset.mems"));
    }

    [Fact]
    public void A_level_with_its_own_cpus_keeps_them()
    {
        CgroupDirectory[] levels =
        [
            _fs.Seed("cpuset", ("cpuset.cpus", "0-3\n"), ("cpuset.mems", "0\n")),
            _fs.Seed("cpuset/berth", ("cpuset.cpus", "1\n"), ("cpuset.mems", "0\n")),
            _fs.Seed("cpuset/berth/x", ("cpuset.cpus", ""), ("cpuset.mems", "")),
        ];

        CpusetV1.InitializeFromParents(levels);

        Assert.Equal("1\n", _fs.Content(levels[1], "cpuset.cpus"));
        Assert.Equal("1", _fs.Content(levels[2], "cpuset.cpus"));
    }

    public void Dispose() => _fs.Dispose();
}
