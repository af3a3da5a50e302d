using System.Globalization;
using Berth.Api.Models;
using Berth.Engine.Containers;
using E = Berth.Engine.Containers.Model;
using W = Berth.Api.Models.Containers;

namespace Berth.Api.Server.Compat;

/// <summary>The engine's containers as Docker's inspect and list shapes.</summary>
public static class ContainerMapper
{
    public static W.ContainerInspectResponse ToInspect(Container c, ContainerLayout layout, IReadOnlyList<string> execIds) => new()
    {
        Id = c.Id,
        Created = Time(c.Created),
        Path = c.Path,
        Args = [.. c.Args],
        State = ToState(c.State),
        Image = c.ImageId,
        ResolvConfPath = layout.ResolvConf(c.Id),
        HostnamePath = layout.Hostname(c.Id),
        HostsPath = layout.Hosts(c.Id),
        // Docker shows the file of the json-file driver only (local's storage is its own, none has none).
        LogPath = c.HostConfig.LogConfig.Type == Engine.Containers.Logs.LogDrivers.JsonFile ? layout.Log(c.Id) : "",
        Name = c.Name,
        RestartCount = c.RestartCount,
        Driver = "overlay2",
        ExecIDs = execIds.Count == 0 ? null : [.. execIds],
        HostConfig = ToWire(c.HostConfig),
        GraphDriver = new W.GraphDriverData { Name = "overlay2", Data = new Dictionary<string, string>() },
        Mounts = ToWire(c.Mounts),
        Config = ToWire(c.Config, c.Id),
        NetworkSettings = NetworkSettingsMapper.ToInspect(c, layout),
    };

    public static W.ContainerSummary ToSummary(Container c, DateTime now) => new()
    {
        Id = c.Id,
        Names = [c.Name],
        Image = c.Config.Image,
        ImageID = c.ImageId,
        Command = c.Args.Count == 0 ? c.Path : c.Path + " " + string.Join(' ', c.Args.Select(QuoteIfNeeded)),
        Created = new DateTimeOffset(c.Created).ToUnixTimeSeconds(),
        Labels = new Dictionary<string, string>(c.Config.Labels),
        State = StatusName(c.State.Status),
        Status = StatusText(c.State, now),
        Mounts = ToWire(c.Mounts),
        HostConfig = new W.SummaryHostConfig { NetworkMode = c.HostConfig.NetworkMode },
        Ports = NetworkSettingsMapper.SummaryPorts(c),
        NetworkSettings = NetworkSettingsMapper.ToSummary(c),
    };

    /// <summary>Inspect's and list's <c>Mounts</c>: Docker's MountPoint, <c>Name</c> and <c>Driver</c> for volumes only.</summary>
    public static List<W.MountPoint> ToWire(IReadOnlyList<E.MountPoint> mounts) =>
    [
        .. mounts.Select(m => new W.MountPoint
        {
            Type = m.Type,
            Name = m.Type == "volume" ? m.Name : null,
            Source = m.Source,
            Destination = m.Destination,
            Driver = m.Type == "volume" ? m.Driver : null,
            Mode = m.Mode,
            RW = m.RW,
            Propagation = m.Propagation,
        }),
    ];

    public static string StatusName(ContainerStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Docker's human status: <c>Up 3 seconds</c>, <c>Up 2 minutes (Paused)</c>, <c>Exited (0) 5 seconds ago</c>.</summary>
    public static string StatusText(ContainerState s, DateTime now) => s.Status switch
    {
        ContainerStatus.Paused => $"Up {HumanUnits.Duration(now - s.StartedAt)} (Paused)",
        ContainerStatus.Restarting => $"Restarting ({s.ExitCode}) {HumanUnits.Duration(now - s.FinishedAt)} ago",
        ContainerStatus.Running when s.Health is { } h => $"Up {HumanUnits.Duration(now - s.StartedAt)} ({HealthText(h.Status)})",
        ContainerStatus.Running => $"Up {HumanUnits.Duration(now - s.StartedAt)}",
        ContainerStatus.Removing => "Removal In Progress",
        ContainerStatus.Dead => "Dead",
        _ when s.StartedAt == default => "Created",
        _ when s.FinishedAt == default => "",
        _ => $"Exited ({s.ExitCode}) {HumanUnits.Duration(now - s.FinishedAt)} ago",
    };

    private static string HealthText(string status) => status == "starting" ? "health: starting" : status;

    private static W.ContainerState ToState(ContainerState s) => new()
    {
        Status = StatusName(s.Status),
        Running = s.Status is ContainerStatus.Running or ContainerStatus.Paused,
        Paused = s.Status == ContainerStatus.Paused,
        Restarting = s.Status == ContainerStatus.Restarting,
        OOMKilled = s.OomKilled,
        Dead = s.Status == ContainerStatus.Dead,
        Pid = s.Pid,
        ExitCode = s.ExitCode,
        Error = s.Error,
        StartedAt = Time(s.StartedAt),
        FinishedAt = Time(s.FinishedAt),
        Health = s.Health is { } h
            ? new W.Health
            {
                Status = h.Status,
                FailingStreak = h.FailingStreak,
                Log = [.. h.Log.Select(r => new W.HealthcheckResult { Start = Time(r.Start), End = Time(r.End), ExitCode = r.ExitCode, Output = r.Output })],
            }
            : null,
    };

    public static W.ContainerConfig ToWire(E.ContainerConfig c, string id) => new()
    {
        Hostname = c.Hostname ?? id[..12],
        Domainname = c.Domainname ?? "",
        User = c.User ?? "",
        AttachStdin = c.AttachStdin,
        AttachStdout = c.AttachStdout,
        AttachStderr = c.AttachStderr,
        ExposedPorts = c.ExposedPorts.Count == 0 ? null : c.ExposedPorts.ToDictionary(p => p, _ => new W.EmptyObject()),
        Tty = c.Tty,
        OpenStdin = c.OpenStdin,
        StdinOnce = c.StdinOnce,
        Env = [.. c.Env],
        Cmd = c.Cmd is null ? null : [.. c.Cmd],
        Healthcheck = c.Healthcheck is { } h
            ? new W.HealthConfig
            {
                Test = [.. h.Test], Interval = h.Interval.Ticks * 100, Timeout = h.Timeout.Ticks * 100,
                StartPeriod = h.StartPeriod.Ticks * 100, StartInterval = h.StartInterval.Ticks * 100, Retries = h.Retries,
            }
            : null,
        Image = c.Image,
        Volumes = c.Volumes.Count == 0 ? null : c.Volumes.ToDictionary(v => v, _ => new W.EmptyObject()),
        WorkingDir = c.WorkingDir ?? "",
        Entrypoint = c.Entrypoint is null ? null : [.. c.Entrypoint],
        Labels = new Dictionary<string, string>(c.Labels),
        StopSignal = c.StopSignal,
        StopTimeout = c.StopTimeout,
        NetworkDisabled = c.NetworkDisabled,
    };

    public static W.HostConfig ToWire(E.HostConfig h) => new()
    {
        Binds = h.Binds.Count == 0 ? null : [.. h.Binds],
        Mounts = h.Mounts.Count == 0 ? null : [.. h.Mounts.Select(ToWire)],
        VolumesFrom = h.VolumesFrom.Count == 0 ? null : [.. h.VolumesFrom],
        VolumeDriver = h.VolumeDriver,
        Annotations = h.Annotations.Count == 0 ? null : new Dictionary<string, string>(h.Annotations),
        LogConfig = new W.LogConfig { Type = h.LogConfig.Type, Config = new Dictionary<string, string>(h.LogConfig.Config) },
        NetworkMode = h.NetworkMode,
        PortBindings = h.PortBindings.ToDictionary(p => p.Key,
            List<W.PortBinding>? (p) => [.. p.Value.Select(b => new W.PortBinding { HostIp = b.HostIp, HostPort = b.HostPort })]),
        PublishAllPorts = h.PublishAllPorts,
        RestartPolicy = new W.RestartPolicy { Name = h.RestartPolicy.Name, MaximumRetryCount = h.RestartPolicy.MaximumRetryCount },
        AutoRemove = h.AutoRemove,
        ConsoleSize = h.ConsoleSize is { } size ? [size.Height, size.Width] : [0, 0],
        CapAdd = h.CapAdd.Count == 0 ? null : [.. h.CapAdd],
        CapDrop = h.CapDrop.Count == 0 ? null : [.. h.CapDrop],
        CgroupnsMode = h.CgroupnsMode,
        CgroupParent = h.CgroupParent,
        Devices = [.. h.Devices.Select(d => new W.DeviceMapping { PathOnHost = d.PathOnHost, PathInContainer = d.PathInContainer, CgroupPermissions = d.CgroupPermissions })],
        DeviceCgroupRules = h.DeviceCgroupRules.Count == 0 ? null : [.. h.DeviceCgroupRules],
        DeviceRequests = h.DeviceRequests.Count == 0 ? null : [.. h.DeviceRequests.Select(r => new W.DeviceRequest
        {
            Driver = r.Driver, Count = r.Count, DeviceIDs = [.. r.DeviceIDs], Capabilities = [.. r.Capabilities.Select(c => c.ToList())],
            Options = new Dictionary<string, string>(r.Options),
        })],
        StorageOpt = h.StorageOpt.Count == 0 ? null : new Dictionary<string, string>(h.StorageOpt),
        Dns = [.. h.Dns],
        DnsOptions = [.. h.DnsOptions],
        DnsSearch = [.. h.DnsSearch],
        ExtraHosts = h.ExtraHosts.Count == 0 ? null : [.. h.ExtraHosts],
        GroupAdd = h.GroupAdd.Count == 0 ? null : [.. h.GroupAdd],
        IpcMode = h.IpcMode,
        PidMode = h.PidMode,
        UTSMode = h.UtsMode,
        OomScoreAdj = h.OomScoreAdj,
        Privileged = h.Privileged,
        ReadonlyRootfs = h.ReadonlyRootfs,
        SecurityOpt = h.SecurityOpt.Count == 0 ? null : [.. h.SecurityOpt],
        Tmpfs = h.Tmpfs.Count == 0 ? null : new Dictionary<string, string>(h.Tmpfs),
        ShmSize = h.ShmSize == 0 ? 64 * 1024 * 1024 : h.ShmSize,
        Sysctls = h.Sysctls.Count == 0 ? null : new Dictionary<string, string>(h.Sysctls),
        Runtime = h.Runtime.Length == 0 ? Engine.EngineOptions.BerthRuntime : h.Runtime,
        CpuShares = h.Resources.CpuShares,
        Memory = h.Resources.Memory,
        NanoCpus = h.Resources.NanoCpus,
        BlkioWeight = h.Resources.BlkioWeight,
        BlkioWeightDevice = [.. h.Resources.BlkioWeightDevice.Select(d => new W.WeightDevice { Path = d.Path, Weight = d.Weight })],
        BlkioDeviceReadBps = ToWire(h.Resources.BlkioDeviceReadBps),
        BlkioDeviceWriteBps = ToWire(h.Resources.BlkioDeviceWriteBps),
        BlkioDeviceReadIOps = ToWire(h.Resources.BlkioDeviceReadIOps),
        BlkioDeviceWriteIOps = ToWire(h.Resources.BlkioDeviceWriteIOps),
        OomKillDisable = h.Resources.OomKillDisable ?? false,
        CpuPeriod = h.Resources.CpuPeriod,
        CpuQuota = h.Resources.CpuQuota,
        CpusetCpus = h.Resources.CpusetCpus ?? "",
        CpusetMems = h.Resources.CpusetMems ?? "",
        MemoryReservation = h.Resources.MemoryReservation,
        MemorySwap = h.Resources.MemorySwap,
        PidsLimit = h.Resources.PidsLimit,
        Ulimits = [.. h.Resources.Ulimits.Select(u => new W.Ulimit { Name = u.Name, Soft = u.Soft, Hard = u.Hard })],
        Init = h.Init ? true : null,
    };

    private static List<W.ThrottleDevice> ToWire(IReadOnlyList<E.ThrottleDevice> devices) =>
        [.. devices.Select(d => new W.ThrottleDevice { Path = d.Path, Rate = d.Rate })];

    private static W.Mount ToWire(E.MountSpec m) => new()
    {
        Type = m.Type,
        Source = m.Source.Length == 0 ? null : m.Source,
        Target = m.Target,
        ReadOnly = m.ReadOnly,
        Consistency = m.Consistency.Length == 0 ? null : m.Consistency,
        BindOptions = m.BindOptions is { } b
            ? new W.BindOptions { Propagation = b.Propagation.Length == 0 ? null : b.Propagation, NonRecursive = b.NonRecursive, CreateMountpoint = b.CreateMountpoint }
            : null,
        VolumeOptions = m.VolumeOptions is { } v
            ? new W.VolumeOptions
            {
                NoCopy = v.NoCopy,
                Labels = v.Labels.Count == 0 ? null : new Dictionary<string, string>(v.Labels),
                DriverConfig = v.DriverName.Length == 0 && v.DriverOptions.Count == 0 ? null
                    : new W.VolumeDriverConfig { Name = v.DriverName, Options = new Dictionary<string, string>(v.DriverOptions) },
            }
            : null,
        TmpfsOptions = m.TmpfsOptions is { } t ? new W.TmpfsOptions { SizeBytes = t.SizeBytes, Mode = t.Mode } : null,
    };

    /// <summary>RFC 3339 with nanoseconds in UTC (<c>Z</c>), as Go prints time.Time; the zero time for unset.</summary>
    public static string Time(DateTime t) =>
        t == default ? "0001-01-01T00:00:00Z"
        : t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.') + "Z";

    /// <summary>Docker quotes an argument that holds a space with single quotes.</summary>
    private static string QuoteIfNeeded(string arg) => arg.Contains(' ') ? $"'{arg}'" : arg;
}
