using Berth.Oci.Runtime;

namespace Berth.Runtime.Containers;

/// <summary>
/// The device cgroup rules every container gets after the spec's own (runc's list): mknod of anything, and use of the
/// default /dev nodes, the console, ptys and tun. Without them a "deny all" rule would forbid even /dev/null.
/// </summary>
public static class DefaultDeviceRules
{
    public static readonly IReadOnlyList<LinuxDeviceCgroup> Rules =
    [
        Rule("c", null, null, "m"), Rule("b", null, null, "m"),
        Rule("c", 1, 3), Rule("c", 1, 5), Rule("c", 1, 7), Rule("c", 1, 8), Rule("c", 1, 9),
        Rule("c", 5, 0), Rule("c", 5, 1), Rule("c", 5, 2), Rule("c", 136, null), Rule("c", 10, 200),
    ];

    public static LinuxResources WithDefaults(LinuxResources resources)
    {
        if (resources.Devices is null) return resources;
        resources.Devices = [.. resources.Devices, .. Rules];
        return resources;
    }

    private static LinuxDeviceCgroup Rule(string type, long? major, long? minor, string access = "rwm") =>
        new() { Allow = true, Type = type, Major = major, Minor = minor, Access = access };
}
