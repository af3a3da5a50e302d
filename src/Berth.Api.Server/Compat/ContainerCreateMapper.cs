using Berth.Engine;
using Berth.Engine.Networks;
using E = Berth.Engine.Containers.Model;
using W = Berth.Api.Models.Containers;

namespace Berth.Api.Server.Compat;

/// <summary>
/// Docker's create body → the engine's container config. Fields Berth does not honour yet are refused with a 400
/// naming them, never silently dropped.
/// </summary>
public static class ContainerCreateMapper
{
    public static (E.ContainerConfig Config, E.HostConfig HostConfig) ToEngine(W.ContainerCreateRequest body)
    {
        var host = body.HostConfig ?? new W.HostConfig();
        RefuseUnsupported(host);
        var config = ToEngine((W.ContainerConfig)body, host.PortBindings?.Keys);
        if (string.IsNullOrEmpty(config.Image)) throw Invalid("Config.Image: an image name is required");
        var hostConfig = new E.HostConfig
        {
            NetworkMode = body.NetworkDisabled ? "none" : host.NetworkMode,
            PortBindings = (host.PortBindings ?? []).ToDictionary(
                p => p.Key, IReadOnlyList<E.PortBinding> (p) => [.. (p.Value ?? []).Select(b => new E.PortBinding(b.HostIp ?? "", b.HostPort ?? ""))]),
            PublishAllPorts = host.PublishAllPorts,
            RestartPolicy = new E.RestartPolicy(host.RestartPolicy.Name is "" ? "no" : host.RestartPolicy.Name, host.RestartPolicy.MaximumRetryCount),
            AutoRemove = host.AutoRemove,
            Privileged = host.Privileged,
            ReadonlyRootfs = host.ReadonlyRootfs,
            Init = host.Init ?? false,
            CapAdd = host.CapAdd ?? [],
            CapDrop = host.CapDrop ?? [],
            SecurityOpt = host.SecurityOpt ?? [],
            Tmpfs = host.Tmpfs ?? [],
            ShmSize = host.ShmSize,
            GroupAdd = host.GroupAdd ?? [],
            Sysctls = host.Sysctls ?? [],
            ExtraHosts = host.ExtraHosts ?? [],
            Dns = host.Dns ?? [],
            DnsSearch = host.DnsSearch ?? [],
            DnsOptions = host.DnsOptions ?? [],
            OomScoreAdj = host.OomScoreAdj,
            PidMode = host.PidMode == "private" ? "" : host.PidMode,
            UtsMode = host.UTSMode == "host" ? "host" : "",
            IpcMode = host.IpcMode,
            CgroupnsMode = host.CgroupnsMode,
            CgroupParent = host.CgroupParent,
            Runtime = host.Runtime ?? "",
            Devices = host.Devices?.Select(d => new E.DeviceMapping(d.PathOnHost, d.PathInContainer, d.CgroupPermissions)).ToList() ?? [],
            DeviceCgroupRules = host.DeviceCgroupRules ?? [],
            DeviceRequests = host.DeviceRequests?.Select(ToEngine).ToList() ?? [],
            StorageOpt = host.StorageOpt ?? [],
            LogConfig = new E.LogConfig(host.LogConfig.Type, host.LogConfig.Config ?? []),
            Binds = host.Binds ?? [],
            Mounts = host.Mounts?.Select(ToEngine).ToList() ?? [],
            VolumesFrom = host.VolumesFrom ?? [],
            VolumeDriver = host.VolumeDriver,
            Annotations = host.Annotations ?? [],
            ConsoleSize = host.ConsoleSize is [var height, var width] && height > 0 && width > 0
                ? new E.ConsoleSize((ushort)height, (ushort)width) : null,
            Resources = new E.Resources
            {
                Memory = host.Memory,
                MemorySwap = host.MemorySwap,
                MemoryReservation = host.MemoryReservation,
                NanoCpus = host.NanoCpus,
                CpuShares = host.CpuShares,
                CpuPeriod = host.CpuPeriod,
                CpuQuota = host.CpuQuota,
                CpusetCpus = NullIfEmpty(host.CpusetCpus),
                CpusetMems = NullIfEmpty(host.CpusetMems),
                PidsLimit = host.PidsLimit,
                BlkioWeight = host.BlkioWeight,
                BlkioWeightDevice = host.BlkioWeightDevice?.Select(d => new E.WeightDevice(d.Path, d.Weight)).ToList() ?? [],
                BlkioDeviceReadBps = ToEngine(host.BlkioDeviceReadBps),
                BlkioDeviceWriteBps = ToEngine(host.BlkioDeviceWriteBps),
                BlkioDeviceReadIOps = ToEngine(host.BlkioDeviceReadIOps),
                BlkioDeviceWriteIOps = ToEngine(host.BlkioDeviceWriteIOps),
                OomKillDisable = host.OomKillDisable,
                Ulimits = host.Ulimits?.Select(u => new E.Ulimit(u.Name, u.Soft, u.Hard)).ToList() ?? [],
            },
        };
        return (config, hostConfig);
    }

    /// <summary>Create's <c>NetworkingConfig.EndpointsConfig</c>: the endpoint asked on each network, by network name.</summary>
    /// <summary>The portable part of a create body (also <c>POST /commit</c>'s body); <paramref name="publishedPorts"/> are exposed too.</summary>
    public static E.ContainerConfig ToEngine(W.ContainerConfig body, IEnumerable<string>? publishedPorts = null) =>
        new()
        {
            Image = body.Image,
            Hostname = NullIfEmpty(body.Hostname),
            Domainname = NullIfEmpty(body.Domainname),
            User = NullIfEmpty(body.User),
            AttachStdin = body.AttachStdin,
            AttachStdout = body.AttachStdout,
            AttachStderr = body.AttachStderr,
            Tty = body.Tty,
            OpenStdin = body.OpenStdin,
            StdinOnce = body.StdinOnce,
            Env = body.Env ?? [],
            Cmd = body.Cmd is { Count: > 0 } cmd ? cmd : null,
            Entrypoint = body.Entrypoint,
            WorkingDir = NullIfEmpty(body.WorkingDir),
            Labels = body.Labels ?? [],
            // A published port is exposed too, as Docker records it.
            ExposedPorts = [.. (body.ExposedPorts?.Keys ?? Enumerable.Empty<string>()).Concat(publishedPorts ?? []).Distinct()],
            Volumes = body.Volumes?.Keys.ToList() ?? [],
            StopSignal = NullIfEmpty(body.StopSignal),
            StopTimeout = body.StopTimeout,
            Healthcheck = body.Healthcheck is { } h ? ToEngine(h) : null,
            NetworkDisabled = body.NetworkDisabled,
        };

    public static Dictionary<string, EndpointRequest> ToEngine(W.NetworkingConfig? networking) =>
        (networking?.EndpointsConfig ?? []).ToDictionary(e => e.Key, e => ToEngine(e.Value));

    /// <summary>
    /// Create's endpoints, with <c>HostConfig.Links</c> moved to the endpoint on the network mode's network when that
    /// is a user-defined one, as Docker keeps them there: names only this container resolves (docker-compose 1.29
    /// and compose v2 send a service's <c>links:</c> so). Elsewhere links stay refused (no legacy /etc/hosts links).
    /// </summary>
    public static Dictionary<string, EndpointRequest> Endpoints(W.ContainerCreateRequest body)
    {
        var endpoints = ToEngine(body.NetworkingConfig);
        if (body.HostConfig is not { Links: { Count: > 0 } links, NetworkMode: var mode } || !IsUserDefined(mode))
            return endpoints;
        var endpoint = endpoints.GetValueOrDefault(mode) ?? new EndpointRequest();
        endpoints[mode] = endpoint with { Links = [.. endpoint.Links, .. links.Except(endpoint.Links)] };
        return endpoints;
    }

    private static bool IsUserDefined(string? mode) =>
        mode is { Length: > 0 } and not ("default" or "bridge" or "host" or "none") && !mode.StartsWith("container:", StringComparison.Ordinal);

    public static EndpointRequest ToEngine(W.EndpointSettings? e) => new()
    {
        Aliases = e?.Aliases ?? [],
        Links = e?.Links ?? [],
        IPv4Address = e?.IPAMConfig?.IPv4Address ?? "",
        MacAddress = e?.MacAddress ?? "",
        DriverOpts = e?.DriverOpts ?? [],
    };

    public static E.HealthConfig ToEngine(W.HealthConfig h) => new()
    {
        Test = h.Test ?? [],
        Interval = FromNanos(h.Interval),
        Timeout = FromNanos(h.Timeout),
        StartPeriod = FromNanos(h.StartPeriod),
        StartInterval = FromNanos(h.StartInterval),
        Retries = h.Retries,
    };

    /// <summary>A <c>Mounts</c> entry as asked; its rules are the engine's.</summary>
    public static E.MountSpec ToEngine(W.Mount m) => new()
    {
        Type = m.Type ?? "",
        Source = m.Source ?? "",
        Target = m.Target ?? "",
        ReadOnly = m.ReadOnly,
        Consistency = m.Consistency ?? "",
        BindOptions = m.BindOptions is { } b
            ? new E.MountBindOptions { Propagation = b.Propagation ?? "", NonRecursive = b.NonRecursive, CreateMountpoint = b.CreateMountpoint }
            : null,
        VolumeOptions = m.VolumeOptions is { } v
            ? new E.MountVolumeOptions
            {
                NoCopy = v.NoCopy,
                Labels = v.Labels ?? [],
                DriverName = v.DriverConfig?.Name ?? "",
                DriverOptions = v.DriverConfig?.Options ?? [],
            }
            : null,
        TmpfsOptions = m.TmpfsOptions is { } t ? new E.MountTmpfsOptions { SizeBytes = t.SizeBytes, Mode = t.Mode } : null,
    };

    private static List<E.ThrottleDevice> ToEngine(List<W.ThrottleDevice>? devices) =>
        devices?.Select(d => new E.ThrottleDevice(d.Path, d.Rate)).ToList() ?? [];

    private static E.DeviceRequest ToEngine(W.DeviceRequest r) => new()
    {
        Driver = r.Driver,
        Count = r.Count,
        DeviceIDs = r.DeviceIDs ?? [],
        Capabilities = r.Capabilities?.Select(IReadOnlyList<string> (c) => c).ToList() ?? [],
        Options = r.Options ?? [],
    };

    private static TimeSpan FromNanos(long nanos) => TimeSpan.FromTicks(nanos / 100);

    /// <summary>What Berth does not do: refused, never silently dropped.</summary>
    private static void RefuseUnsupported(W.HostConfig host)
    {
        void Refuse(bool set, string field, string why)
        {
            if (set) throw Invalid($"HostConfig.{field} is not supported yet: {why}");
        }
        Refuse(host.Links is { Count: > 0 } && !IsUserDefined(host.NetworkMode), "Links",
            "legacy links are only available on a user-defined network, where they are names the linking container resolves");
        Refuse(host.UTSMode is not ("" or "private" or "host"), "UTSMode", "only a private UTS namespace or the host's is available");
        // "host" is what every container gets without remapping: docker-compose and the CLI may name it.
        Refuse(host.UsernsMode is not ("" or "host"), "UsernsMode", "user namespaces are not available");
        Refuse(host.CpuRealtimePeriod != 0 || host.CpuRealtimeRuntime != 0, "CpuRealtimePeriod", "real-time CPU limits are not applied by berth-runtime");
        if (host.IOMaximumBandwidth != 0 || host.IOMaximumIOps != 0)
            throw Invalid("Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps");
        if (host.Isolation is not ("" or "default"))
            throw Invalid($"Invalid isolation: \"{host.Isolation}\" - linux only supports 'default'");
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static EngineException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
}
