namespace Berth.Runtime.Cgroups.V2;

/// <summary>OCI's "unified" map: cgroup v2 files written raw, after every other setting so that they win.</summary>
internal static class UnifiedV2
{
    public static void Set(CgroupDirectory dir, IReadOnlyDictionary<string, string> unified)
    {
        foreach (var (file, value) in unified)
        {
            if (file.Length == 0 || file.Contains('/') || file is "." or "..")
                throw new CgroupException($"invalid unified cgroup key \"{file}\": must be a file name such as memory.high");
            // A multi-line value (io.max with several devices) is one write per line, as the kernel parses one rule per write.
            var lines = value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0) dir.Write(file, value);
            foreach (var line in lines) dir.Write(file, line);
        }
    }
}
