using Berth.Runtime.Cgroups;
using Berth.Runtime.Cgroups.V2;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class V2ConversionTests
{
    [Theory]
    [InlineData(2UL, 1UL)]
    [InlineData(1UL, 1UL)]
    [InlineData(512UL, 20UL)]
    [InlineData(1024UL, 39UL)]
    [InlineData(262144UL, 10000UL)]
    [InlineData(1_000_000UL, 10000UL)]
    public void Shares_map_linearly_onto_cpu_weight(ulong shares, ulong weight) => Assert.Equal(weight, CpuV2.WeightOf(shares));

    [Theory]
    [InlineData(10, 1UL)]
    [InlineData(500, 4950UL)]
    [InlineData(1000, 10000UL)]
    public void Blkio_weight_maps_onto_io_weight(ushort blkio, ulong io) => Assert.Equal(io, IoV2.IoWeightOf(blkio));

    [Theory]
    [InlineData(128L << 20, 64L << 20, "67108864")]
    [InlineData(64L << 20, 64L << 20, "0")]
    [InlineData(-1L, 64L << 20, "max")]
    [InlineData(0L, -1L, "max")]
    [InlineData(0L, 64L << 20, null)]
    [InlineData(128L << 20, -1L, "134217728")]
    public void Swap_is_memory_plus_swap_minus_the_limit(long memorySwap, long limit, string? expected) =>
        Assert.Equal(expected, MemoryV2.SwapOnly(memorySwap, limit));

    [Theory]
    [InlineData(128L << 20, 0L)]
    [InlineData(32L << 20, 64L << 20)]
    public void Impossible_swap_values_are_refused(long memorySwap, long limit) =>
        Assert.Throws<CgroupException>(() => MemoryV2.SwapOnly(memorySwap, limit));
}
