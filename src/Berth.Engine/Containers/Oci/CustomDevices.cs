using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Engine.Containers.Model;
using Berth.Linux;
using Berth.Oci.Runtime;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// <c>--device</c>, <c>--device-cgroup-rule</c> and device requests (<c>--gpus</c>) as moby's <c>withDevices</c> turns
/// them into the spec: each mapped node (or every node under a mapped directory) is created in the container and allowed
/// in the devices cgroup with its permissions; a rule is one more allow line. A privileged container already has every
/// host device: only mappings to another path add nodes, and the rules are moot.
/// </summary>
public static partial class CustomDevices
{
    /// <summary>The nodes to create and the cgroup rules to allow them; throws with moby's text where it fails.</summary>
    public static (List<LinuxDevice> Nodes, List<LinuxDeviceCgroup> Rules) For(HostConfig host, SpecHost machine)
    {
        var nodes = new List<LinuxDevice>();
        var rules = new List<LinuxDeviceCgroup>();
        foreach (var mapping in host.Devices)
        {
            if (host.Privileged && mapping.PathOnHost == mapping.PathInContainer) continue;
            foreach (var node in machine.DevicesAt(mapping.PathOnHost, mapping.PathInContainer))
            {
                nodes.Add(node);
                rules.Add(new LinuxDeviceCgroup
                {
                    Allow = true, Type = node.Type, Major = node.Major, Minor = node.Minor,
                    Access = host.Privileged ? "rwm" : mapping.CgroupPermissions,
                });
            }
        }
        if (!host.Privileged) rules.AddRange(host.DeviceCgroupRules.Select(ParseRule));
        foreach (var request in host.DeviceRequests)
        {
            // No device driver (NVIDIA's hook, CDI) is registered with Berth: every request is one Docker cannot select.
            var capabilities = "[" + string.Join(" ", request.Capabilities.Select(set => "[" + string.Join(" ", set) + "]")) + "]";
            throw new EngineException(ErrorKind.InvalidArgument,
                $"could not select device driver \"{request.Driver}\" with capabilities: {capabilities}");
        }
        return (nodes, rules);
    }

    /// <summary><c>type major:minor access</c>, a <c>*</c> for any number (moby's <c>AppendDevicePermissionsFromCgroupRules</c>).</summary>
    public static LinuxDeviceCgroup ParseRule(string rule)
    {
        var match = RulePattern().Match(rule);
        if (!match.Success) throw new EngineException(ErrorKind.InvalidArgument, $"invalid device cgroup rule format: '{rule}'");
        return new LinuxDeviceCgroup
        {
            Allow = true, Type = match.Groups[1].Value, Access = match.Groups[4].Value,
            Major = Number(match.Groups[2].Value, "major", rule), Minor = Number(match.Groups[3].Value, "minor", rule),
        };
    }

    /// <summary>
    /// The device node at <paramref name="pathOnHost"/> (a symlink resolved), or every node under it when it is a
    /// directory, each named under <paramref name="pathInContainer"/>.
    /// </summary>
    public static List<LinuxDevice> FromPath(string pathOnHost, string pathInContainer)
    {
        var resolved = pathOnHost;
        if (FileStatus.TryGet(pathOnHost) is { Kind: FileKind.Symlink })
            resolved = new FileInfo(pathOnHost).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? pathOnHost;
        var status = FileStatus.TryGet(resolved)
            ?? throw new EngineException(ErrorKind.InvalidArgument,
                $"error gathering device information while adding custom device \"{pathOnHost}\": no such file or directory");
        if (Node(resolved, status) is { } device)
        {
            device.Path = pathInContainer;
            return [device];
        }
        var devices = new List<LinuxDevice>();
        if (status.Kind == FileKind.Directory)
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(resolved, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (FileStatus.TryGet(path) is not { } child || Node(path, child) is not { } node) continue;
                node.Path = pathInContainer + path[resolved.Length..];
                devices.Add(node);
            }
        }
        return devices.Count > 0 ? devices : throw new EngineException(ErrorKind.InvalidArgument,
            $"error gathering device information while adding custom device \"{pathOnHost}\": not a device node");
    }

    private static LinuxDevice? Node(string path, FileStatus status)
    {
        var type = status.Kind switch { FileKind.CharDevice => "c", FileKind.BlockDevice => "b", FileKind.Fifo => "p", _ => null };
        return type is null ? null : new LinuxDevice
        {
            Path = path, Type = type, Major = status.RdevMajor, Minor = status.RdevMinor,
            FileMode = status.Permissions, Uid = status.Uid, Gid = status.Gid,
        };
    }

    private static long Number(string text, string which, string rule) =>
        text == "*" ? -1
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw new EngineException(ErrorKind.InvalidArgument, $"invalid {which} value in device cgroup rule format: '{rule}'");

    [GeneratedRegex(@"^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})\z")]
    private static partial Regex RulePattern();
}
