using Berth.Oci.Runtime;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Cgroups.V1;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class MemoryV1Tests : IDisposable
{
    private const string Limit = "memory.limit_in_bytes";
    private const string MemSwap = "memory.memsw.limit_in_bytes";
    private readonly RecordingCgroupFileSystem _fs = new();

    private CgroupDirectory MemoryDir(long currentLimit, bool swapAccounting = true)
    {
        var dir = _fs.Seed("memory", (Limit, currentLimit.ToString()), ("memory.soft_limit_in_bytes", ""),
            ("memory.swappiness", "60"), ("memory.oom_control", ""));
        if (swapAccounting) File.WriteAllText(dir.FileOf(MemSwap), currentLimit.ToString());
        return dir;
    }

    [Fact]
    public void Growing_writes_memory_plus_swap_before_the_limit()
    {
        var dir = MemoryDir(currentLimit: 64 << 20);

        MemoryV1.Set(dir, new LinuxMemory { Limit = 256 << 20, Swap = 512 << 20 });

        Assert.Equal([(dir.FileOf(MemSwap), "536870912"), (dir.FileOf(Limit), "268435456")], _fs.Writes);
    }

    [Fact]
    public void Shrinking_writes_the_limit_before_memory_plus_swap()
    {
        var dir = MemoryDir(currentLimit: 256 << 20);

        MemoryV1.Set(dir, new LinuxMemory { Limit = 32 << 20, Swap = 64 << 20 });

        Assert.Equal([Limit, MemSwap], _fs.WrittenNames);
    }

    [Fact]
    public void Unlimited_memory_with_swap_unset_makes_swap_unlimited_first()
    {
        var dir = MemoryDir(currentLimit: 64 << 20);

        MemoryV1.Set(dir, new LinuxMemory { Limit = -1 });

        Assert.Equal([(dir.FileOf(MemSwap), "-1"), (dir.FileOf(Limit), "-1")], _fs.Writes);
    }

    [Fact]
    public void Without_swap_accounting_a_real_swap_limit_is_refused()
    {
        var dir = MemoryDir(currentLimit: 64 << 20, swapAccounting: false);

        var error = Assert.Throws<CgroupException>(() => MemoryV1.Set(dir, new LinuxMemory { Limit = 64 << 20, Swap = 128 << 20 }));

        Assert.StartsWith("swap limit not supported", error.Message);
        Assert.Empty(_fs.Writes);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(64L << 20)]
    [InlineData(0L)]
    public void Without_swap_accounting_swap_the_kernel_already_gives_is_ignored(long swap)
    {
        var dir = MemoryDir(currentLimit: 1 << 30, swapAccounting: false);

        MemoryV1.Set(dir, new LinuxMemory { Limit = 64 << 20, Swap = swap });

        Assert.Equal([Limit], _fs.WrittenNames);
    }

    [Fact]
    public void Swap_below_the_limit_is_refused()
    {
        var dir = MemoryDir(currentLimit: 1 << 30);

        Assert.Throws<CgroupException>(() => MemoryV1.Set(dir, new LinuxMemory { Limit = 64 << 20, Swap = 32 << 20 }));
        Assert.Empty(_fs.Writes);
    }

    [Fact]
    public void Reservation_oom_killer_and_swappiness_have_their_files()
    {
        var dir = MemoryDir(currentLimit: 1 << 30);

        MemoryV1.Set(dir, new LinuxMemory { Reservation = 1 << 20, DisableOOMKiller = true, Swappiness = 10 });

        Assert.Equal(["memory.soft_limit_in_bytes", "memory.oom_control", "memory.swappiness"], _fs.WrittenNames);
        Assert.Equal("1048576", _fs.Content(dir, "memory.soft_limit_in_bytes"));
    }

    [Fact]
    public void Swappiness_above_100_is_refused()
    {
        var dir = MemoryDir(currentLimit: 1 << 30);

        Assert.Throws<CgroupException>(() => MemoryV1.Set(dir, new LinuxMemory { Swappiness = 101 }));
    }

    public void Dispose() => _fs.Dispose();
}
