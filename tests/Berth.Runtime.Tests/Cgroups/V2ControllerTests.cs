using Berth.Linux;
using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Cgroups.V2;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class V2ControllerTests : IDisposable
{
    private readonly RecordingCgroupFileSystem _fs = new();

    [Fact]
    public void Memory_writes_swap_then_max_then_low()
    {
        var dir = _fs.Seed("cg", ("memory.max", "max"), ("memory.swap.max", "max"), ("memory.low", "0"));

        MemoryV2.Set(dir, new LinuxMemory { Limit = 64 << 20, Swap = 96 << 20, Reservation = -1 });

        Assert.Equal([("memory.swap.max", "33554432"), ("memory.max", "67108864"), ("memory.low", "max")],
            _fs.Writes.Select(w => (Path.GetFileName(w.File), w.Value)));
    }

    [Fact]
    public void Without_swap_disabling_swap_is_not_an_error()
    {
        var dir = _fs.Seed("cg", ("memory.max", "max"));

        MemoryV2.Set(dir, new LinuxMemory { Limit = 64 << 20, Swap = 64 << 20 });

        Assert.Equal(["memory.max"], _fs.WrittenNames);
    }

    [Fact]
    public void Without_swap_a_swap_limit_is_an_error()
    {
        var dir = _fs.Seed("cg", ("memory.max", "max"));

        var error = Assert.Throws<CgroupException>(() => MemoryV2.Set(dir, new LinuxMemory { Limit = 64 << 20, Swap = 96 << 20 }));

        Assert.Equal(Errno.ENOENT, error.Errno);
    }

    [Theory]
    [InlineData(50_000L, 0UL, "50000 100000")]
    [InlineData(-1L, 200_000UL, "max 200000")]
    [InlineData(0L, 50_000UL, "max 50000")]
    public void Cpu_max_is_quota_and_period(long quota, ulong period, string expected)
    {
        var dir = _fs.Seed("cg", ("cpu.max", "max 100000"), ("cpu.weight", "100"));

        CpuV2.Set(dir, new LinuxCpu { Quota = quota, Period = period });

        Assert.Equal(expected, _fs.Content(dir, "cpu.max"));
    }

    [Fact]
    public void Io_prefers_the_bfq_weight_on_the_v1_scale()
    {
        var dir = _fs.Seed("cg", ("io.bfq.weight", "default 100"), ("io.weight", "default 100"));

        IoV2.Set(dir, new LinuxBlockIo { Weight = 500 });

        Assert.Equal([("io.bfq.weight", "500")], _fs.Writes.Select(w => (Path.GetFileName(w.File), w.Value)));
    }

    [Fact]
    public void Io_falls_back_to_io_weight_converted()
    {
        var dir = _fs.Seed("cg", ("io.weight", "default 100"));

        IoV2.Set(dir, new LinuxBlockIo { Weight = 1000 });

        Assert.Equal("10000", _fs.Content(dir, "io.weight"));
    }

    [Fact]
    public void Subtree_control_enables_the_missing_available_controllers_at_once()
    {
        var dir = _fs.Seed("cg", ("cgroup.controllers", "cpu io memory pids\n"), ("cgroup.subtree_control", "cpu\n"));

        SubtreeControl.EnableAvailable(dir);

        Assert.Equal([("cgroup.subtree_control", "+io +memory +pids")], _fs.Writes.Select(w => (Path.GetFileName(w.File), w.Value)));
    }

    [Fact]
    public void Subtree_control_falls_back_to_one_controller_at_a_time()
    {
        var dir = _fs.Seed("cg", ("cgroup.controllers", "io memory\n"), ("cgroup.subtree_control", ""));
        _fs.FailWrites("cgroup.subtree_control", Errno.EBUSY, Errno.EBUSY);

        SubtreeControl.EnableAvailable(dir);

        Assert.Equal([("cgroup.subtree_control", "+memory")], _fs.Writes.Select(w => (Path.GetFileName(w.File), w.Value)));
    }

    [Fact]
    public void Subtree_control_with_nothing_available_writes_nothing()
    {
        var dir = _fs.Seed("cg", ("cgroup.controllers", "\n"), ("cgroup.subtree_control", ""));

        SubtreeControl.EnableAvailable(dir);

        Assert.Empty(_fs.Writes);
    }

    [Fact]
    public void Unified_values_are_written_raw_line_by_line()
    {
        var dir = _fs.Seed("cg", ("memory.high", "max"), ("io.max", ""));

        UnifiedV2.Set(dir, new Dictionary<string, string> { ["memory.high"] = "1G", ["io.max"] = "8:0 rbps=1\n8:16 wbps=2\n" });

        Assert.Equal([("memory.high", "1G"), ("io.max", "8:0 rbps=1"), ("io.max", "8:16 wbps=2")],
            _fs.Writes.Select(w => (Path.GetFileName(w.File), w.Value)));
    }

    [Theory]
    [InlineData("../memory.max")]
    [InlineData("..")]
    [InlineData("")]
    public void Unified_keys_must_be_file_names(string key)
    {
        var dir = _fs.Dir();

        Assert.Throws<CgroupException>(() => UnifiedV2.Set(dir, new Dictionary<string, string> { [key] = "1" }));
    }

    [Fact]
    public void Freezer_reads_the_frozen_line_of_cgroup_events()
    {
        var dir = _fs.Seed("cg", ("cgroup.freeze", "0"), ("cgroup.events", "populated 1\nfrozen 1\n"));

        Assert.True(FreezerV2.IsFrozen(dir));
    }

    public void Dispose() => _fs.Dispose();
}
