using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>A service's <c>HostConfig</c>: mounts, published ports, restart policy, resources and privileges.</summary>
internal static class ContainerHostConfig
{
    public static HostConfig Build(ComposeProject project, ServiceConfig service)
    {
        var (binds, mounts) = Mounts(project, service);
        var (securityOpt, unconfined) = SecurityOptions.Parse(project, service.SecurityOpt);
        var host = new HostConfig
        {
            Binds = binds.Count == 0 ? null : binds,
            Mounts = mounts.Count == 0 ? null : mounts,
            PortBindings = PortBindings(service),
            RestartPolicy = RestartPolicy(service),
            NetworkMode = NetworkMode(project, service),
            CapAdd = NullIfEmpty(service.CapAdd),
            CapDrop = NullIfEmpty(service.CapDrop),
            Dns = NullIfEmpty(service.Dns),
            DnsSearch = NullIfEmpty(service.DnsSearch),
            DnsOptions = NullIfEmpty(service.DnsOptions),
            // compose accepts host=ip; the Engine API wants host:ip.
            ExtraHosts = NullIfEmpty(service.ExtraHosts.Select(h => h.Contains('=') ? h.Replace('=', ':') : h).ToList()),
            GroupAdd = NullIfEmpty(service.GroupAdd),
            SecurityOpt = NullIfEmpty(securityOpt),
            // systempaths=unconfined is compose's own option: nothing masked or read-only in /proc and /sys.
            MaskedPaths = unconfined ? [] : null,
            ReadonlyPaths = unconfined ? [] : null,
            Tmpfs = service.Tmpfs.Count == 0 ? null : service.Tmpfs.ToDictionary(t => t.Split(':')[0], t => t.Contains(':') ? t[(t.IndexOf(':') + 1)..] : ""),
            Sysctls = service.Sysctls.Count == 0 ? null : new Dictionary<string, string>(service.Sysctls),
            StorageOpt = service.StorageOpt.Count == 0 ? null : new Dictionary<string, string>(service.StorageOpt),
            Annotations = service.Annotations.Count == 0 ? null : new Dictionary<string, string>(service.Annotations),
            Privileged = service.Privileged,
            ReadonlyRootfs = service.ReadOnly,
            Init = service.Init,
            PidMode = service.Pid ?? "",
            IpcMode = service.Ipc ?? "",
            CgroupnsMode = service.Cgroup ?? "",
            UsernsMode = service.UsernsMode ?? "",
            UTSMode = service.Uts ?? "",
            Runtime = service.Runtime,
            Isolation = service.Isolation ?? "",
            VolumeDriver = service.VolumeDriver ?? "",
            VolumesFrom = NullIfEmpty(service.VolumesFrom.Select(v => VolumesFrom(project, v)).ToList()),
            Links = NullIfEmpty(service.Links.Select(l => Link(project, l)).ToList()),
        };
        ContainerResources.Apply(host, service);
        return host;
    }

    /// <summary><c>deploy.restart_policy</c> wins over <c>restart</c>; its conditions are swarm's (<c>none</c>, <c>any</c>).</summary>
    private static RestartPolicy RestartPolicy(ServiceConfig service)
    {
        if (service.DeployRestartPolicy is { } deploy)
            return new RestartPolicy
            {
                Name = deploy.Condition switch { "none" => "no", "any" => "always", var other => other },
                MaximumRetryCount = deploy.MaxAttempts,
            };
        var (name, retries) = service.Restart is { } policy && policy != "no" ? ValueParsers.RestartPolicy(policy) : ("no", 0);
        return new RestartPolicy { Name = name, MaximumRetryCount = retries };
    }

    /// <summary><c>volumes_from: [service:db:ro]</c> or <c>[db]</c> names the service's first container; <c>container:x</c> a container.</summary>
    private static string VolumesFrom(ComposeProject project, string entry)
    {
        if (entry.StartsWith("container:", StringComparison.Ordinal))
            return entry["container:".Length..];
        var spec = entry.StartsWith("service:", StringComparison.Ordinal) ? entry["service:".Length..] : entry;
        var parts = spec.Split(':', 2);
        if (project.Service(parts[0]) is null)
            return entry;
        return ProjectContainers.DefaultName(project.Name, parts[0], 1) + (parts.Length > 1 ? ":" + parts[1] : "");
    }

    private static List<string>? NullIfEmpty(IReadOnlyList<string> items) => items.Count == 0 ? null : items.ToList();

    /// <summary><c>links: [db]</c> or <c>[db:alias]</c> to the service's first container.</summary>
    private static string Link(ComposeProject project, string link)
    {
        var parts = link.Split(':', 2);
        return $"{ProjectContainers.DefaultName(project.Name, parts[0], 1)}:{(parts.Length > 1 ? parts[1] : parts[0])}";
    }

    private static string NetworkMode(ComposeProject project, ServiceConfig service)
    {
        if (service.NetworkMode is { } mode)
            return mode.StartsWith("service:", StringComparison.Ordinal)
                ? "container:" + ProjectContainers.DefaultName(project.Name, mode["service:".Length..], 1)
                : mode;
        return ContainerSpec.PrimaryNetwork(service) is { } primary ? project.Networks.First(n => n.Key == primary.Key).Name : "none";
    }

    /// <summary>
    /// Short-syntax host paths as <c>Binds</c> (the daemon creates a missing host directory, as compose's
    /// <c>create_host_path</c> asks), everything else as <c>Mounts</c>; project volumes by their engine name.
    /// </summary>
    private static (List<string> Binds, List<Mount> Mounts) Mounts(ComposeProject project, ServiceConfig service)
    {
        var binds = new List<string>();
        var mounts = new List<Mount>();
        foreach (var volume in service.Volumes)
        {
            if (volume.Type == "bind" && volume.CreateHostPath)
            {
                var options = new[] { volume.ReadOnly ? "ro" : null, volume.Propagation }.Where(o => o is not null);
                binds.Add(string.Join(':', new[] { volume.Source!, volume.Target }.Concat(options.Any() ? [string.Join(',', options)] : [])));
                continue;
            }
            mounts.Add(new Mount
            {
                Type = volume.Type,
                Source = volume.Type == "volume" && volume.Source is { } key ? project.Volumes.FirstOrDefault(v => v.Key == key)?.Name ?? key : volume.Source,
                Target = volume.Target,
                ReadOnly = volume.ReadOnly,
                BindOptions = volume.Type == "bind" && volume.Propagation is { } p ? new BindOptions { Propagation = p } : null,
                VolumeOptions = volume.NoCopy ? new VolumeOptions { NoCopy = true } : null,
                TmpfsOptions = volume.TmpfsSize is { } size ? new TmpfsOptions { SizeBytes = ValueParsers.RamInBytes(size) } : null,
            });
        }
        // File-based secrets and configs are read-only binds: /run/secrets/NAME, and /NAME for configs, as compose mounts them.
        foreach (var (section, references, directory) in new[] { ("secrets", service.Secrets, "/run/secrets/"), ("configs", service.Configs, "/") })
            foreach (var reference in references)
                if (project.FileOf(section, reference.Source) is { } file)
                    binds.Add($"{file}:{(reference.Target is { } target && target.StartsWith('/') ? target : directory + (reference.Target ?? reference.Source))}:ro");
        return (binds, mounts);
    }

    private static Dictionary<string, List<PortBinding>?>? PortBindings(ServiceConfig service)
    {
        if (service.Ports.Count == 0)
            return null;
        var bindings = new Dictionary<string, List<PortBinding>?>();
        foreach (var port in service.Ports)
            Publish(bindings, port);
        return bindings;
    }

    /// <summary>Adds <paramref name="port"/> to the bindings of its container port (<c>80/tcp</c>), which it returns.</summary>
    public static string Publish(Dictionary<string, List<PortBinding>?> bindings, PortConfig port)
    {
        var key = $"{port.Target}/{port.Protocol}";
        if (!bindings.TryGetValue(key, out var list) || list is null)
            bindings[key] = list = [];
        list.Add(new PortBinding { HostIp = port.HostIp ?? "", HostPort = port.Published ?? "" });
        return key;
    }
}
