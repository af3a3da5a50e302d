namespace Berth.Runtime.Cgroups;

/// <summary>Turns an OCI cgroupsPath into the clean absolute path the managers use under every mount point.</summary>
internal static class CgroupPath
{
    /// <summary>
    /// "/berth/x" stays; "berth/x" (relative) is taken from the hierarchy's root; "." and ".." are resolved without
    /// ever climbing above the root. "slice:prefix:name" is the systemd driver's form, which Berth does not implement.
    /// </summary>
    public static string Normalize(string cgroupsPath)
    {
        if (string.IsNullOrWhiteSpace(cgroupsPath))
            throw new CgroupException("cgroupsPath is empty");
        if (!cgroupsPath.StartsWith('/') && cgroupsPath.Split(':').Length == 3)
            throw new CgroupException(
                $"cgroupsPath \"{cgroupsPath}\" is in the systemd form (slice:prefix:name); the systemd cgroup driver is not supported, use a path such as /berth/<id>");
        if (cgroupsPath.Contains('\0'))
            throw new CgroupException($"cgroupsPath \"{cgroupsPath}\" contains a NUL character");

        var segments = new List<string>();
        foreach (var segment in cgroupsPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        if (segments.Count == 0)
            throw new CgroupException($"cgroupsPath \"{cgroupsPath}\" names the root cgroup, which a container cannot own");
        return "/" + string.Join('/', segments);
    }
}
