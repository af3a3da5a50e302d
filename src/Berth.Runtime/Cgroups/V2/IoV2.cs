using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V2;

/// <summary>The v2 io controller's weight: io.bfq.weight (same 10-1000 scale as v1) or else io.weight (1-10000).</summary>
internal static class IoV2
{
    public static bool IsRequested(LinuxBlockIo? blockIo) => blockIo?.Weight is not (null or 0);

    public static void Set(CgroupDirectory dir, LinuxBlockIo blockIo)
    {
        if (blockIo.Weight is not { } weight || weight == 0) return;
        if (dir.Has("io.bfq.weight")) dir.Write("io.bfq.weight", weight);
        else dir.Write("io.weight", IoWeightOf(weight));
    }

    /// <summary>runc's linear map of the v1 blkio weight [10, 1000] onto io.weight [1, 10000].</summary>
    internal static ulong IoWeightOf(ushort blkioWeight)
    {
        var clamped = Math.Clamp((ulong)blkioWeight, 10UL, 1000UL);
        return 1 + (clamped - 10) * 9999 / 990;
    }
}
