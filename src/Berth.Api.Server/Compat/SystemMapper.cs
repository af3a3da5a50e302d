using Berth.Api.Models.System;
using Berth.Engine.Images;
using Berth.Engine.System;

namespace Berth.Api.Server.Compat;

/// <summary>The engine's view of itself in Docker's v1.44 shapes.</summary>
public static class SystemMapper
{
    private const string Os = "linux";

    public static SystemVersion ToVersion(SystemService system)
    {
        var api = $"{EngineVersion.MaxApi.Major}.{EngineVersion.MaxApi.Minor}";
        var minApi = $"{EngineVersion.MinApi.Major}.{EngineVersion.MinApi.Minor}";
        var arch = GoArch(system.Host.Architecture);
        return new SystemVersion
        {
            Platform = new ComponentPlatform { Name = "Berth Engine" },
            Components =
            [
                new ComponentVersion
                {
                    Name = "Engine",
                    Version = EngineVersion.Product,
                    Details = new()
                    {
                        ["ApiVersion"] = api, ["MinAPIVersion"] = minApi, ["Os"] = Os, ["Arch"] = arch,
                        ["KernelVersion"] = system.Host.KernelVersion, ["GitCommit"] = BuildInfo.Commit, ["GoVersion"] = BuildInfo.Runtime,
                        ["BuildTime"] = BuildInfo.Time, ["Experimental"] = "false",
                    },
                },
            ],
            Version = EngineVersion.Product,
            ApiVersion = api,
            MinAPIVersion = minApi,
            GitCommit = BuildInfo.Commit,
            GoVersion = BuildInfo.Runtime,
            Os = Os,
            Arch = arch,
            KernelVersion = system.Host.KernelVersion,
            BuildTime = BuildInfo.Time,
        };
    }

    public static SystemInfo ToInfo(SystemService system, RegistrySettings registries, ObjectCounts counts)
    {
        var host = system.Host;
        return new SystemInfo
        {
            ID = system.Id,
            Containers = counts.Running + counts.Paused + counts.Stopped,
            ContainersRunning = counts.Running,
            ContainersPaused = counts.Paused,
            ContainersStopped = counts.Stopped,
            Images = counts.Images,
            Driver = "overlay2",
            DockerRootDir = system.DataRoot,
            OperatingSystem = host.OperatingSystem,
            OSVersion = host.OsVersion,
            Architecture = host.Architecture,
            NCPU = host.Cpus,
            MemTotal = host.MemoryBytes,
            KernelVersion = host.KernelVersion,
            ServerVersion = EngineVersion.Product,
            Name = host.Hostname,
            CgroupVersion = host.CgroupVersion,
            MemoryLimit = host.Cgroups.MemoryLimit,
            SwapLimit = host.Cgroups.SwapLimit,
            CpuCfsPeriod = host.Cgroups.CpuCfsPeriod,
            CpuCfsQuota = host.Cgroups.CpuCfsQuota,
            CPUShares = host.Cgroups.CpuShares,
            CPUSet = host.Cgroups.Cpuset,
            PidsLimit = host.Cgroups.PidsLimit,
            Warnings = [.. host.Cgroups.Warnings(v2: host.CgroupVersion == "2")],
            IPv4Forwarding = host.Ipv4Forwarding,
            Runtimes = system.Runtimes.ToDictionary(r => r.Key, r => new RuntimeInfo { Path = r.Value }),
            DefaultRuntime = system.DefaultRuntime,
            LoggingDriver = system.LoggingDriver,
            LiveRestoreEnabled = system.LiveRestore,
            RegistryConfig = ToRegistryConfig(registries),
            SecurityOptions = ["name=seccomp,profile=builtin"],
            SystemTime = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"),
        };
    }

    /// <summary>
    /// Docker's registry service config: Docker Hub's index with the mirrors, every insecure registry named by host (a
    /// CIDR goes in InsecureRegistryCIDRs), and loopback, which is always insecure.
    /// </summary>
    private static RegistryServiceConfig ToRegistryConfig(RegistrySettings registries)
    {
        var config = new RegistryServiceConfig
        {
            Mirrors = [.. registries.Mirrors],
            InsecureRegistryCIDRs = ["127.0.0.0/8", "::1/128"],
            IndexConfigs = new()
            {
                ["docker.io"] = new IndexInfo { Name = "docker.io", Mirrors = [.. registries.Mirrors], Secure = true, Official = true },
            },
        };
        foreach (var registry in registries.InsecureRegistries)
        {
            if (global::System.Net.IPNetwork.TryParse(registry, out _) && registry.Contains('/')) config.InsecureRegistryCIDRs.Add(registry);
            else config.IndexConfigs[registry] = new IndexInfo { Name = registry, Secure = false };
        }
        return config;
    }

    /// <summary>GOARCH spelling, which /version uses (info's Architecture is uname's).</summary>
    private static string GoArch(string uname) => uname switch
    {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        _ => uname,
    };
}

/// <summary>Facts of this build, for /version.</summary>
internal static class BuildInfo
{
    public static string Commit { get; } = typeof(BuildInfo).Assembly.GetName().Version?.ToString() ?? "unknown";
    public static string Runtime { get; } = global::System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
    public static string Time { get; } = File.GetLastWriteTimeUtc(Environment.ProcessPath ?? "/").ToString("ddd MMM d HH:mm:ss yyyy");
}

/// <summary>How many containers (by state) and images the daemon holds, for <c>/info</c>.</summary>
public sealed record ObjectCounts(int Running, int Paused, int Stopped, int Images);
