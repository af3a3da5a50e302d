using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V1;

/// <summary>The v1 blkio controller's weight: blkio.weight (CFQ) or, on kernels with BFQ only, blkio.bfq.weight.</summary>
internal static class BlkioV1
{
    public const string Controller = "blkio";

    public static bool IsRequested(LinuxBlockIo? blockIo) => blockIo?.Weight is not (null or 0);

    public static void Set(CgroupDirectory dir, LinuxBlockIo blockIo)
    {
        if (blockIo.Weight is not { } weight || weight == 0) return;
        dir.Write(dir.Has("blkio.weight") ? "blkio.weight" : "blkio.bfq.weight", weight);
    }
}
