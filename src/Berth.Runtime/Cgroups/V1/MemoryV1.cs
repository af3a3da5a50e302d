using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V1;

/// <summary>The v1 memory controller: limit, memory+swap limit, soft limit, OOM killer, swappiness.</summary>
internal static class MemoryV1
{
    public const string Controller = "memory";
    private const string LimitFile = "memory.limit_in_bytes";
    private const string MemorySwapFile = "memory.memsw.limit_in_bytes";

    public static bool IsRequested(LinuxMemory? memory) =>
        memory is not null
        && (memory.Limit is not (null or 0) || memory.Reservation is not (null or 0) || memory.Swap is not (null or 0)
            || memory.Swappiness is not null || memory.DisableOOMKiller == true);

    public static void Set(CgroupDirectory dir, LinuxMemory memory)
    {
        SetLimitAndSwap(dir, memory.Limit ?? 0, memory.Swap ?? 0);
        if (memory.Reservation is { } reservation and not 0) dir.Write("memory.soft_limit_in_bytes", reservation);
        if (memory.DisableOOMKiller == true) dir.Write("memory.oom_control", "1");
        // ulong.MaxValue is (uint64)-1, which runc reads as "unset".
        if (memory.Swappiness is { } swappiness and not ulong.MaxValue)
        {
            if (swappiness > 100)
                throw new CgroupException($"invalid memory swappiness {swappiness} (valid range is 0-100)");
            dir.Write("memory.swappiness", swappiness);
        }
    }

    /// <summary>
    /// OCI's swap is the memory+swap total (memory.memsw.limit_in_bytes); 0 means unset and -1 unlimited. The kernel
    /// refuses any moment where memsw &lt; limit, so growing writes memsw first and shrinking writes the limit first.
    /// </summary>
    private static void SetLimitAndSwap(CgroupDirectory dir, long limit, long swap)
    {
        var swapAccounting = dir.Has(MemorySwapFile);
        // Unlimited memory with swap unset means both unlimited.
        if (limit == -1 && swap == 0 && swapAccounting) swap = -1;
        if (swap != 0 && !swapAccounting)
        {
            // Without swap accounting the kernel already behaves as "unlimited" or "same as the memory limit" asks.
            if (swap != -1 && swap != limit)
                throw new CgroupException(
                    $"swap limit not supported: {dir.FileOf(MemorySwapFile)} does not exist (kernel without swap accounting, swapaccount=1)");
            swap = 0;
        }
        if (swap > 0 && (limit == -1 || (limit > 0 && swap < limit)))
            throw new CgroupException($"memory+swap limit {swap} should be >= memory limit {limit}");

        if (limit != 0 && swap != 0)
        {
            var current = dir.ReadInt64(LimitFile);
            if (swap == -1 || current < swap)
            {
                dir.Write(MemorySwapFile, swap);
                dir.Write(LimitFile, limit);
                return;
            }
        }
        if (limit != 0) dir.Write(LimitFile, limit);
        if (swap != 0) dir.Write(MemorySwapFile, swap);
    }
}
