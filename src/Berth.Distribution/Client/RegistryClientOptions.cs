using System.Collections.Concurrent;
using System.Net;
using Berth.Oci.Image;

namespace Berth.Distribution.Client;

/// <summary>How the daemon reaches registries (dockerd's <c>--registry-mirror</c> and <c>--insecure-registry</c>).</summary>
public sealed class RegistryClientOptions
{
    /// <summary>The host Docker Hub's API lives on; <c>docker.io</c> names it in references.</summary>
    public const string DockerHubHost = "registry-1.docker.io";

    /// <summary>Base URLs (<c>https://mirror.example</c>) tried in order before Docker Hub when pulling from <c>docker.io</c>.</summary>
    public IReadOnlyList<Uri> Mirrors { get; init; } = [];

    /// <summary>
    /// Registries spoken to over plain HTTP: <c>host[:port]</c>, or a CIDR matched against an IP host. Loopback
    /// (127.0.0.0/8, ::1) and <c>localhost</c> always are, as in Docker's default configuration.
    /// </summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    public string UserAgent { get; init; } = "berth";

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long to wait for a connection to a registry (a layer then takes as long as it takes).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>host[:port]</c> that docker.io references go to instead of Docker Hub (no mirrors, no fallback): a local
    /// registry, so that a daemon under test never reaches out to the internet for an image it lacks.
    /// </summary>
    public string? DefaultRegistry { get; init; }

    /// <summary>
    /// A directory of per-registry mirror configurations, <c>&lt;domain&gt;/hosts.toml</c> as containerd reads them
    /// (<see cref="RegistryHosts"/>); read at each pull, so a change needs no restart.
    /// </summary>
    public string? HostsDirectory { get; init; }

    /// <summary>Authorities a <c>hosts.toml</c> marked <c>skip_verify</c>: spoken to as insecure registries are.</summary>
    private readonly ConcurrentDictionary<string, bool> _skipVerify = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The base URLs to try for a registry domain, in order. With a <c>hosts.toml</c> for the domain under
    /// <see cref="HostsDirectory"/>: its hosts that have the capability (<c>pull</c>, or <c>push</c>), then its
    /// <c>server</c> (the domain by default). Otherwise, for <c>docker.io</c> the mirrors (pulls only) then
    /// <c>https://registry-1.docker.io</c> (or <see cref="DefaultRegistry"/> alone); for any other, <c>https://</c>. An
    /// insecure registry is then spoken to as Docker does: its certificate unchecked, or over plain HTTP when it does
    /// not speak TLS (<see cref="RegistryTransport"/>).
    /// </summary>
    /// <exception cref="FormatException">the domain's <c>hosts.toml</c> is not valid.</exception>
    public IReadOnlyList<RegistryEndpoint> Endpoints(string domain, bool pull)
    {
        if (HostsDirectory is { } directory && RegistryHosts.Load(directory, domain) is { } hosts)
            return FromHosts(domain, hosts, pull);
        if (domain == ImageReference.DefaultDomain && DefaultRegistry is { } local)
            return [new RegistryEndpoint(new Uri($"https://{local}"), false)];
        if (domain == ImageReference.DefaultDomain)
            return [.. (pull ? Mirrors : []).Select(m => new RegistryEndpoint(m, Mirror: true)), new RegistryEndpoint(new Uri($"https://{DockerHubHost}"), false)];
        return [new RegistryEndpoint(new Uri($"https://{domain}"), false)];
    }

    private List<RegistryEndpoint> FromHosts(string domain, RegistryHosts hosts, bool pull)
    {
        var server = hosts.Server ?? new Uri(domain == ImageReference.DefaultDomain ? $"https://{DockerHubHost}" : $"https://{domain}");
        if (hosts.ServerSkipVerify) _skipVerify[server.Authority] = true;
        var endpoints = new List<RegistryEndpoint>();
        foreach (var host in hosts.Hosts.Where(h => h.Can(pull ? "pull" : "push")))
        {
            if (host.SkipVerify) _skipVerify[host.BaseUri.Authority] = true;
            endpoints.Add(new RegistryEndpoint(host.BaseUri, Mirror: true));
        }
        endpoints.Add(new RegistryEndpoint(server, Mirror: false));
        return endpoints;
    }

    public bool IsInsecure(string domain)
    {
        if (_skipVerify.ContainsKey(domain)) return true;
        if (InsecureRegistries.Contains(domain, StringComparer.OrdinalIgnoreCase)) return true;
        var host = HostOf(domain);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        if (!IPAddress.TryParse(host, out var address)) return InsecureRegistries.Contains(host, StringComparer.OrdinalIgnoreCase);
        if (IPAddress.IsLoopback(address)) return true;
        foreach (var entry in InsecureRegistries)
        {
            if (IPNetwork.TryParse(entry, out var network) && network.Contains(address)) return true;
            if (IPAddress.TryParse(entry, out var single) && single.Equals(address)) return true;
        }
        return false;
    }

    /// <summary>The host of <c>host[:port]</c>, brackets of an IPv6 literal removed.</summary>
    private static string HostOf(string domain)
    {
        if (domain.StartsWith('['))
        {
            var close = domain.IndexOf(']');
            return close > 0 ? domain[1..close] : domain;
        }
        var colon = domain.LastIndexOf(':');
        return colon > 0 && domain.IndexOf(':') == colon ? domain[..colon] : domain;
    }
}

/// <summary>One base URL a registry is reached at; a mirror may be skipped when it fails.</summary>
public sealed record RegistryEndpoint(Uri BaseUri, bool Mirror);
