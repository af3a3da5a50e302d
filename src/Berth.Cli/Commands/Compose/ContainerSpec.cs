using System.Globalization;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// A service's container as compose creates it: the service's settings in the Engine API's shape, compose's labels,
/// and the first network joined at create time with the container and service names as aliases (the others are
/// connected after create, as the API of the clients compose supports allows one network at create).
/// </summary>
internal static class ContainerSpec
{
    public static ContainerCreateRequest Build(ComposeProject project, ServiceConfig service, string name, int number, bool oneoff)
    {
        var request = new ContainerCreateRequest
        {
            Image = ImageName(project, service),
            Cmd = service.Command?.ToList(),
            Entrypoint = service.Entrypoint?.ToList(),
            Env = service.Environment.Where(e => e.Value is not null).Select(e => $"{e.Key}={e.Value}").ToList(),
            Labels = Labels(project, service, number, oneoff),
            ExposedPorts = ExposedPorts(service),
            Hostname = service.Hostname ?? "",
            Domainname = service.Domainname ?? "",
            User = service.User ?? "",
            WorkingDir = service.WorkingDir ?? "",
            Tty = service.Tty,
            OpenStdin = service.StdinOpen,
            StopSignal = service.StopSignal,
            StopTimeout = service.StopGracePeriod is { } grace ? (int)(ValueParsers.DurationNanos(grace) / 1_000_000_000) : null,
            Healthcheck = Healthcheck(service.Healthcheck),
            HostConfig = ContainerHostConfig.Build(project, service),
            NetworkingConfig = Networking(project, service, name),
        };
        return request;
    }

    /// <summary>The image a service runs: its <c>image</c>, else the one <c>build</c> makes, <c>project-service</c>.</summary>
    public static string ImageName(ComposeProject project, ServiceConfig service) => service.Image ?? $"{project.Name}-{service.Name}";

    private static Dictionary<string, string> Labels(ComposeProject project, ServiceConfig service, int number, bool oneoff)
    {
        var labels = new Dictionary<string, string>(service.Labels)
        {
            [ComposeLabels.Project] = project.Name,
            [ComposeLabels.Service] = service.Name,
            [ComposeLabels.Oneoff] = oneoff ? "True" : "False",
            [ComposeLabels.ConfigHash] = service.ConfigHash(),
            [ComposeLabels.WorkingDir] = project.WorkingDirectory,
            [ComposeLabels.ConfigFiles] = string.Join(',', project.ConfigFiles),
            [ComposeLabels.Version] = ComposeLabels.ComposeVersion,
            [ComposeLabels.DependsOn] = string.Join(',', service.DependsOn.Select(d => $"{d.Service}:{d.Condition}:{(d.Restart ? "true" : "false")}")),
        };
        if (!oneoff)
            labels[ComposeLabels.ContainerNumber] = number.ToString(CultureInfo.InvariantCulture);
        if (project.EnvFiles.Count > 0)
            labels[ComposeLabels.EnvironmentFile] = string.Join(',', project.EnvFiles);
        return labels;
    }

    private static Dictionary<string, EmptyObject>? ExposedPorts(ServiceConfig service)
    {
        var ports = service.Ports.Select(p => $"{p.Target}/{p.Protocol}")
            .Concat(service.Expose.Select(e => e.Contains('/') ? e : e + "/tcp"))
            .Distinct().ToList();
        return ports.Count == 0 ? null : ports.ToDictionary(p => p, _ => new EmptyObject());
    }

    private static HealthConfig? Healthcheck(HealthcheckConfig? check) => check is null ? null : new HealthConfig
    {
        Test = check.Test?.ToList(),
        Interval = Nanos(check.Interval),
        Timeout = Nanos(check.Timeout),
        StartPeriod = Nanos(check.StartPeriod),
        StartInterval = Nanos(check.StartInterval),
        Retries = check.Retries ?? 0,
    };

    private static long Nanos(string? duration) => duration is null ? 0 : ValueParsers.DurationNanos(duration);

    private static NetworkingConfig? Networking(ComposeProject project, ServiceConfig service, string name)
    {
        if (service.NetworkMode is not null || PrimaryNetwork(service) is not { } primary)
            return null;
        return new NetworkingConfig
        {
            EndpointsConfig = new() { [project.Networks.First(n => n.Key == primary.Key).Name] = Endpoint(service, primary, name) },
        };
    }

    /// <summary>The network joined at create: the highest <c>priority</c>, then the first by name, as compose picks it.</summary>
    public static ServiceNetwork? PrimaryNetwork(ServiceConfig service) =>
        service.Networks.OrderByDescending(n => n.Priority ?? 0).ThenBy(n => n.Key, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>
    /// The service's endpoint on a network; the service's own <c>mac_address</c> goes to the network joined at create
    /// (as compose v2 sends it to an engine of API 1.44 or later), a network's <c>mac_address</c> to that network.
    /// </summary>
    public static EndpointSettings Endpoint(ServiceConfig service, ServiceNetwork network, string name) => new()
    {
        Aliases = [name, service.Name, .. network.Aliases],
        MacAddress = network.MacAddress ?? (network.Key == PrimaryNetwork(service)?.Key ? service.MacAddress : null) ?? "",
        IPAMConfig = network.Ipv4Address is null && network.Ipv6Address is null
            ? null
            : new EndpointIPAMConfig { IPv4Address = network.Ipv4Address, IPv6Address = network.Ipv6Address },
    };
}
