using System.Globalization;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V2;

/// <summary>The v2 memory controller: memory.max, memory.low, memory.swap.max.</summary>
internal static class MemoryV2
{
    public static bool IsRequested(LinuxMemory? memory) =>
        memory is not null
        && (memory.Limit is not (null or 0) || memory.Reservation is not (null or 0) || memory.Swap is not (null or 0));

    /// <summary>Swappiness and the OOM-killer switch have no v2 file and are ignored, as runc does.</summary>
    public static void Set(CgroupDirectory dir, LinuxMemory memory)
    {
        var limit = memory.Limit ?? 0;
        var swap = SwapOnly(memory.Swap ?? 0, limit);
        if (swap is not null)
        {
            var error = dir.TryWrite("memory.swap.max", swap);
            // Without swap (no memory.swap.max) "no swap" and "unlimited swap" are already true.
            if (error is not null && !(error.Errno == Berth.Linux.Errno.ENOENT && swap is "0" or "max")) throw error;
        }
        if (limit != 0) dir.Write("memory.max", Value(limit));
        if (memory.Reservation is { } reservation and not 0) dir.Write("memory.low", Value(reservation));
    }

    /// <summary>
    /// OCI's swap is memory+swap (the v1 meaning); v2's memory.swap.max is swap alone: swap - limit. Null when
    /// nothing is to be written.
    /// </summary>
    internal static string? SwapOnly(long memorySwap, long limit)
    {
        if (limit == -1 && memorySwap == 0) return "max"; // unlimited memory with swap unset: both unlimited
        if (memorySwap == 0) return null;
        if (memorySwap == -1) return "max";
        if (limit == -1) return Value(memorySwap);
        if (limit == 0) throw new CgroupException("unable to set swap limit without memory limit");
        if (limit < 0) throw new CgroupException($"invalid memory limit {limit}");
        if (memorySwap < limit) throw new CgroupException($"memory+swap limit {memorySwap} should be >= memory limit {limit}");
        return Value(memorySwap - limit);
    }

    private static string Value(long bytes) => bytes == -1 ? "max" : bytes.ToString(CultureInfo.InvariantCulture);
}
