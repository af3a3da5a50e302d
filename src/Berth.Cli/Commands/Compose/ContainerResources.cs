using Berth.Api.Models.Containers;
using System.Globalization;
using Berth.Compose.Model;
using Berth.Compose.Yaml;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// A service's resources, devices, ulimits and logging on its <c>HostConfig</c>, as compose v2 maps them
/// (<c>getDeployResources</c>): every value is already checked and in bytes or counts (the loader's canonical form).
/// </summary>
internal static class ContainerResources
{
    public static void Apply(HostConfig host, ServiceConfig service)
    {
        var r = service.Resources;
        host.Memory = r.Memory;
        host.MemoryReservation = r.MemoryReservation;
        host.MemorySwap = r.MemorySwap;
        host.MemorySwappiness = r.MemorySwappiness;
        host.ShmSize = r.ShmSize;
        host.OomKillDisable = r.OomKillDisable;
        host.OomScoreAdj = r.OomScoreAdj;
        host.NanoCpus = r.NanoCpus;
        host.CpuShares = r.CpuShares;
        host.CpuQuota = r.CpuQuota;
        host.CpuPeriod = r.CpuPeriod;
        host.CpuCount = r.CpuCount;
        host.CpuPercent = r.CpuPercent;
        host.CpuRealtimePeriod = r.CpuRealtimePeriod;
        host.CpuRealtimeRuntime = r.CpuRealtimeRuntime;
        host.CpusetCpus = r.Cpuset;
        host.PidsLimit = r.PidsLimit;
        host.CgroupParent = service.CgroupParent ?? "";
        host.DeviceCgroupRules = service.DeviceCgroupRules.Count == 0 ? null : service.DeviceCgroupRules.ToList();
        host.Devices = r.Devices.Count == 0 ? null
            : r.Devices.Select(d => new DeviceMapping { PathOnHost = d.Source, PathInContainer = d.Target, CgroupPermissions = d.Permissions }).ToList();
        host.DeviceRequests = DeviceRequests(r);
        host.Ulimits = r.Ulimits.Count == 0 ? null : r.Ulimits.Select(u => new Ulimit { Name = u.Name, Soft = u.Soft, Hard = u.Hard }).ToList();
        host.LogConfig = r.LogDriver is null && r.LogOptions.Count == 0
            ? new LogConfig()
            : new LogConfig { Type = r.LogDriver ?? "", Config = r.LogOptions.Count == 0 ? null : new Dictionary<string, string>(r.LogOptions) };
        Blkio(host, r);
    }

    private static void Blkio(HostConfig host, ResourceConfig r)
    {
        host.BlkioWeight = r.BlkioWeight;
        var weights = r.BlkioDevices("weight_device");
        host.BlkioWeightDevice = weights.Count == 0 ? null : weights.Select(w => new WeightDevice { Path = w.Path, Weight = (ushort)w.Value }).ToList();
        host.BlkioDeviceReadBps = Throttles(r, "device_read_bps");
        host.BlkioDeviceWriteBps = Throttles(r, "device_write_bps");
        host.BlkioDeviceReadIOps = Throttles(r, "device_read_iops");
        host.BlkioDeviceWriteIOps = Throttles(r, "device_write_iops");
    }

    private static List<ThrottleDevice>? Throttles(ResourceConfig r, string list)
    {
        var devices = r.BlkioDevices(list);
        return devices.Count == 0 ? null : devices.Select(d => new ThrottleDevice { Path = d.Path, Rate = (ulong)d.Value }).ToList();
    }

    /// <summary>
    /// <c>deploy.resources.reservations.devices</c>, each a request for its capabilities, and <c>gpus</c>, whose requests
    /// also ask for the <c>gpu</c> capability, as compose v2 sends them. The engine refuses them at start on a host
    /// without a device driver, as Docker does.
    /// </summary>
    private static List<DeviceRequest>? DeviceRequests(ResourceConfig r)
    {
        var requests = r.DeviceReservations.Select(d => DeviceRequest(d, []))
            .Concat(r.Gpus.Select(g => DeviceRequest(g, ["gpu"]))).ToList();
        return requests.Count == 0 ? null : requests;
    }

    private static DeviceRequest DeviceRequest(MapNode d, IReadOnlyList<string> extraCapabilities)
    {
        var capabilities = ((d["capabilities"] as SeqNode)?.Items.Select(i => i.ToString()!) ?? []).Concat(extraCapabilities).ToList();
        return new DeviceRequest
        {
            Driver = d["driver"]?.ToString() ?? "",
            Count = d["count"]?.ToString() is { } count ? count == "all" ? -1 : int.Parse(count, CultureInfo.InvariantCulture) : 0,
            DeviceIDs = (d["device_ids"] as SeqNode)?.Items.Select(i => i.ToString()).ToList(),
            Capabilities = capabilities.Count == 0 ? null : [capabilities],
            Options = d["options"] is MapNode options ? new Dictionary<string, string>(ServiceConfig.StringMap(options)) : null,
        };
    }
}
