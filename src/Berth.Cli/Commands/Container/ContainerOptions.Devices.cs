using System.Globalization;
using System.Text.RegularExpressions;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// The device and block I/O flags (docker's <c>--device-cgroup-rule</c>, <c>--blkio-weight-device</c>,
/// <c>--device-read-bps</c> and its siblings, <c>--gpus</c>, <c>--storage-opt</c>), validated as docker's opts do.
/// </summary>
internal sealed partial class ContainerOptions
{
    public List<string> DeviceCgroupRules { get; } = [];
    public List<WeightDevice> BlkioWeightDevices { get; } = [];
    public List<ThrottleDevice> DeviceReadBps { get; } = [];
    public List<ThrottleDevice> DeviceWriteBps { get; } = [];
    public List<ThrottleDevice> DeviceReadIOps { get; } = [];
    public List<ThrottleDevice> DeviceWriteIOps { get; } = [];
    public List<DeviceRequest> Gpus { get; } = [];
    public List<string> StorageOpts { get; } = [];
    public ushort BlkioWeight { get; private set; }

    private void ConfigureDeviceFlags(FlagSet flags)
    {
        flags.String("device-cgroup-rule", null, "Add a rule to the cgroup allowed devices list", v => DeviceCgroupRules.Add(CgroupRule(v))).ValueTypeIs("list");
        flags.String("blkio-weight-device", null, "Block IO weight (relative device weight)", v => BlkioWeightDevices.Add(Weight(v)), "[]").ValueTypeIs("list");
        flags.String("device-read-bps", null, "Limit read rate (bytes per second) from a device", v => DeviceReadBps.Add(Bps(v)), "[]").ValueTypeIs("list");
        flags.String("device-write-bps", null, "Limit write rate (bytes per second) to a device", v => DeviceWriteBps.Add(Bps(v)), "[]").ValueTypeIs("list");
        flags.String("device-read-iops", null, "Limit read rate (IO per second) from a device", v => DeviceReadIOps.Add(IOps(v)), "[]").ValueTypeIs("list");
        flags.String("device-write-iops", null, "Limit write rate (IO per second) to a device", v => DeviceWriteIOps.Add(IOps(v)), "[]").ValueTypeIs("list");
        flags.String("gpus", null, "GPU devices to add to the container ('all' to pass all GPUs)", v => Gpus.Add(Gpu(v))).ValueTypeIs("gpu-request");
        flags.List("storage-opt", null, "Storage driver options for the container", StorageOpts);
        flags.Int("blkio-weight", null, "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)", v => BlkioWeight = v is >= 0 and <= ushort.MaxValue ? (ushort)v
            : throw new FormatException($"strconv.ParseUint: parsing \"{v}\": value out of range")).ValueTypeIs("uint16");
    }

    [GeneratedRegex(@"^[acb] ([0-9]+|\*):([0-9]+|\*) [rwm]{1,3}\z")]
    private static partial Regex CgroupRulePattern();

    private static string CgroupRule(string value) =>
        CgroupRulePattern().IsMatch(value) ? value : throw new FormatException($"invalid device cgroup format '{value}'");

    private static (string Path, string Value) DevicePathAnd(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon < 0) throw new FormatException($"bad format: {value}");
        if (!value.StartsWith("/dev/", StringComparison.Ordinal)) throw new FormatException($"bad format for device path: {value}");
        return (value[..colon], value[(colon + 1)..]);
    }

    private static WeightDevice Weight(string value)
    {
        var (path, weight) = DevicePathAnd(value);
        return ushort.TryParse(weight, NumberStyles.None, CultureInfo.InvariantCulture, out var w) && (w == 0 || w is >= 10 and <= 1000)
            ? new WeightDevice { Path = path, Weight = w }
            : throw new FormatException($"invalid weight for device: {value}");
    }

    private static ThrottleDevice Bps(string value)
    {
        var (path, rate) = DevicePathAnd(value);
        try
        {
            var bytes = ValueParsers.RamInBytes(rate);
            if (bytes >= 0) return new ThrottleDevice { Path = path, Rate = (ulong)bytes };
        }
        catch (FormatException)
        {
        }
        throw new FormatException($"invalid rate for device: {value}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb");
    }

    private static ThrottleDevice IOps(string value)
    {
        var (path, rate) = DevicePathAnd(value);
        return ulong.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? new ThrottleDevice { Path = path, Rate = n }
            : throw new FormatException($"invalid rate for device: {value}. The correct format is <device-path>:<number>. Number must be a positive integer");
    }

    /// <summary><c>all</c>, a count, or <c>device=ID[,ID]</c>; always the <c>gpu</c> capability, as docker's GpuOpts.</summary>
    private static DeviceRequest Gpu(string value)
    {
        var request = new DeviceRequest { Capabilities = [["gpu"]] };
        if (value == "all") request.Count = -1;
        else if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)) request.Count = count;
        else if (value.StartsWith("device=", StringComparison.Ordinal)) request.DeviceIDs = [.. value["device=".Length..].Split(',')];
        else throw new FormatException($"unexpected key '{value}' in '{value}'");
        return request;
    }

    /// <summary>What these flags add to the create body's HostConfig.</summary>
    private void ApplyDeviceFlags(HostConfig host)
    {
        host.DeviceCgroupRules = DeviceCgroupRules.Count > 0 ? [.. DeviceCgroupRules] : null;
        host.BlkioWeight = BlkioWeight;
        host.BlkioWeightDevice = [.. BlkioWeightDevices];
        host.BlkioDeviceReadBps = [.. DeviceReadBps];
        host.BlkioDeviceWriteBps = [.. DeviceWriteBps];
        host.BlkioDeviceReadIOps = [.. DeviceReadIOps];
        host.BlkioDeviceWriteIOps = [.. DeviceWriteIOps];
        host.DeviceRequests = Gpus.Count > 0 ? [.. Gpus] : null;
        host.StorageOpt = StorageOpts.Count > 0 ? StorageOpts.ToDictionary(o => o.Split('=', 2)[0], o => o.Contains('=') ? o.Split('=', 2)[1] : "") : null;
    }
}
