using System.Globalization;
using Berth.Oci.Runtime;

namespace Berth.Runtime.Cgroups.V1;

/// <summary>The v1 devices controller: the OCI rules as devices.allow / devices.deny lines.</summary>
internal static class DevicesV1
{
    public const string Controller = "devices";

    /// <summary>
    /// OCI rules apply in order on top of "deny everything" (as runc's device emulator starts). The kernel resets a
    /// cgroup's list on every type-'a' rule, so writing a deny-all first (unless the first rule is already an 'a'
    /// rule) and then every rule in order leaves the list runc computes.
    /// </summary>
    public static void Set(CgroupDirectory dir, IReadOnlyList<LinuxDeviceCgroup> rules)
    {
        if (rules.Count == 0) return;
        if (!IsWildcardType(rules[0])) dir.Write("devices.deny", "a");
        foreach (var rule in rules) dir.Write(rule.Allow ? "devices.allow" : "devices.deny", Format(rule));
    }

    /// <summary>"c 1:3 rwm"; a missing type is 'a', a missing major or minor is "*", missing access is "rwm".</summary>
    public static string Format(LinuxDeviceCgroup rule)
    {
        var type = string.IsNullOrEmpty(rule.Type) ? "a" : rule.Type;
        var access = string.IsNullOrEmpty(rule.Access) ? "rwm" : rule.Access;
        return $"{type} {Number(rule.Major)}:{Number(rule.Minor)} {access}";
    }

    private static bool IsWildcardType(LinuxDeviceCgroup rule) => string.IsNullOrEmpty(rule.Type) || rule.Type == "a";

    private static string Number(long? value) =>
        value is { } n and >= 0 ? n.ToString(CultureInfo.InvariantCulture) : "*";
}
