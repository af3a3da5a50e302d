using Berth.Api.Client;
using Berth.Api.Models.Networks;
using Berth.Api.Models.Volumes;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>A project's networks and volumes: created with compose's labels on <c>up</c>, removed on <c>down</c>.</summary>
internal sealed class ProjectResources(IBerthClient client, ComposeProject project, ComposeProgress progress)
{
    /// <summary>The networks the enabled services use: created when missing; an external one must exist.</summary>
    public async Task EnsureNetworksAsync(CancellationToken cancellationToken)
    {
        var used = project.Services.SelectMany(s => s.Networks.Select(n => n.Key)).ToHashSet();
        var networks = project.Networks.Where(n => used.Contains(n.Key)).ToList();
        if (networks.Count == 0)
            return;
        var filters = new Filters();
        foreach (var network in networks)
            filters.Add("name", network.Name);
        // One listing for all: the name filter matches substrings, so the names are compared whole.
        var existing = (await client.NetworkListAsync(filters, cancellationToken).ConfigureAwait(false)).Select(n => n.Name).ToHashSet();
        foreach (var network in networks)
        {
            if (existing.Contains(network.Name))
                continue;
            if (network.External)
                throw new InvalidOperationException($"network {network.Name} declared as external, but could not be found");
            var id = "Network " + network.Name;
            progress.Event(id, "Creating");
            await client.NetworkCreateAsync(new NetworkCreateRequest
            {
                Name = network.Name,
                Driver = network.Driver,
                Internal = network.Internal,
                Attachable = network.Attachable,
                EnableIPv6 = network.EnableIpv6 ? true : null,
                Options = network.DriverOptions.Count == 0 ? null : new Dictionary<string, string>(network.DriverOptions),
                IPAM = network.IpamPools.Count == 0 ? null : new NetworkIpam
                {
                    Config = network.IpamPools.Select(p => new IpamPool
                    {
                        Subnet = p.GetValueOrDefault("subnet"),
                        IPRange = p.GetValueOrDefault("ip_range"),
                        Gateway = p.GetValueOrDefault("gateway"),
                    }).ToList(),
                },
                Labels = new Dictionary<string, string>(network.Labels)
                {
                    [ComposeLabels.Network] = network.Key,
                    [ComposeLabels.Project] = project.Name,
                    [ComposeLabels.Version] = ComposeLabels.ComposeVersion,
                },
            }, cancellationToken).ConfigureAwait(false);
            progress.Event(id, "Created");
        }
    }

    public async Task EnsureVolumesAsync(CancellationToken cancellationToken)
    {
        var existing = (await client.VolumeListAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Volumes.Select(v => v.Name).ToHashSet();
        foreach (var volume in project.Volumes.Where(v => !existing.Contains(v.Name)))
        {
            if (volume.External)
                throw new InvalidOperationException($"external volume \"{volume.Name}\" not found");
            var id = "Volume " + volume.Name;
            progress.Event(id, "Creating");
            await client.VolumeCreateAsync(new VolumeCreateRequest
            {
                Name = volume.Name,
                Driver = volume.Driver,
                DriverOpts = volume.DriverOptions.Count == 0 ? null : new Dictionary<string, string>(volume.DriverOptions),
                Labels = new Dictionary<string, string>(volume.Labels)
                {
                    [ComposeLabels.Volume] = volume.Key,
                    [ComposeLabels.Project] = project.Name,
                    [ComposeLabels.Version] = ComposeLabels.ComposeVersion,
                },
            }, cancellationToken).ConfigureAwait(false);
            progress.Event(id, "Created");
        }
    }
}
