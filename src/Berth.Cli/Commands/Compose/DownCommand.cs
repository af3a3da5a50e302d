using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose down</c>: the project's containers stopped (dependents first) and removed, then its networks;
/// with <c>-v</c> its named volumes and the containers' anonymous ones, with <c>--rmi</c> its images.
/// </summary>
internal sealed class DownCommand : ComposeSubcommand
{
    private bool _volumes;
    private bool _removeOrphans;
    private string? _rmi;
    private int? _timeout;

    public override string Name => "down";
    public override string Usage => "[OPTIONS] [SERVICES]";
    public override string Short => "Stop and remove containers, networks";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("volumes", 'v', "Remove named volumes declared in the \"volumes\" section of the Compose file and anonymous volumes attached to containers", v => _volumes = v);
        flags.Bool("remove-orphans", null, "Remove containers for services not defined in the Compose file", v => _removeOrphans = v);
        flags.String("rmi", null, "Remove images used by services. \"local\" remove only images that don't have a custom tag (\"local\"|\"all\")", v => _rmi = v);
        flags.Int("timeout", 't', "Specify a shutdown timeout in seconds", v => _timeout = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (_rmi is not (null or "local" or "all"))
            throw new StatusException(1, $"invalid value for --rmi: {_rmi}");
        var (name, project) = Compose.NameOrProject(context);
        using var progress = ComposeProgress.For(context, Compose, "down");
        var containers = await ProjectContainers.ListAsync(context.Client, name, all: true, oneoff: true, cancellationToken).ConfigureAwait(false);
        var removable = containers.Where(c => args.Count == 0 ? project is null || _removeOrphans || project.Service(c.ServiceName()) is not null || c.IsOneoff()
            : args.Contains(c.ServiceName())).ToList();
        if (project is not null && !_removeOrphans && args.Count == 0 && containers.Except(removable).Any())
            await context.Err.WriteLineAsync($"WARN[0000] Found orphan containers ([{string.Join(' ', containers.Except(removable).Select(c => c.Name()))}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.").ConfigureAwait(false);
        var order = project is null ? [] : ServiceSelection.DependencyOrder(project);
        // Dependents first: the reverse of the start order, a service's replicas together.
        foreach (var group in removable.GroupBy(c => c.ServiceName()).OrderByDescending(g => order.IndexOf(g.Key)))
            await Task.WhenAll(group.Select(c => StopAndRemoveAsync(context.Client, c, progress, cancellationToken))).ConfigureAwait(false);
        if (args.Count > 0)
            return 0;
        await Task.WhenAll(RemoveNetworksAsync(context.Client, name, project, progress, cancellationToken),
            _volumes ? RemoveVolumesAsync(context.Client, name, progress, cancellationToken) : Task.CompletedTask).ConfigureAwait(false);
        if (_rmi is not null && project is not null)
            await RemoveImagesAsync(context.Client, project, progress, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private async Task StopAndRemoveAsync(IBerthClient client, ContainerSummary container, ComposeProgress progress, CancellationToken cancellationToken)
    {
        var name = container.Name();
        if (container.State is "running" or "paused" or "restarting")
        {
            progress.Container(name, "Stopping");
            await client.ContainerStopAsync(container.Id, _timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            progress.Container(name, "Stopped");
        }
        progress.Container(name, "Removing");
        await client.ContainerRemoveAsync(container.Id, force: true, removeVolumes: _volumes, cancellationToken: cancellationToken).ConfigureAwait(false);
        progress.Container(name, "Removed");
    }

    /// <summary>
    /// The project's networks by label (and the declared ones of an older tool that set none), external ones kept;
    /// one listing, and the removals (and the volumes') at the same time.
    /// </summary>
    private static async Task RemoveNetworksAsync(IBerthClient client, string name, ComposeProject? project, ComposeProgress progress, CancellationToken cancellationToken)
    {
        var declared = project?.Networks.Where(n => !n.External).Select(n => n.Name).ToHashSet() ?? [];
        var networks = (await client.NetworkListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            .Where(n => n.Labels.GetValueOrDefault(ComposeLabels.Project) == name || declared.Contains(n.Name))
            .Select(n => n.Name).Distinct().Order(StringComparer.Ordinal);
        await Task.WhenAll(networks.Select(async network =>
        {
            progress.Event("Network " + network, "Removing");
            await client.NetworkRemoveAsync(network, cancellationToken).ConfigureAwait(false);
            progress.Event("Network " + network, "Removed");
        })).ConfigureAwait(false);
    }

    private static async Task RemoveVolumesAsync(IBerthClient client, string name, ComposeProgress progress, CancellationToken cancellationToken)
    {
        var volumes = await client.VolumeListAsync(new Filters().Add("label", $"{ComposeLabels.Project}={name}"), cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(volumes.Volumes.Select(async volume =>
        {
            progress.Event("Volume " + volume.Name, "Removing");
            await client.VolumeRemoveAsync(volume.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            progress.Event("Volume " + volume.Name, "Removed");
        })).ConfigureAwait(false);
    }

    private async Task RemoveImagesAsync(IBerthClient client, ComposeProject project, ComposeProgress progress, CancellationToken cancellationToken)
    {
        var images = project.Services.Where(s => _rmi == "all" || s.Image is null).Select(s => ContainerSpec.ImageName(project, s)).Distinct();
        foreach (var image in images)
        {
            try
            {
                progress.Event("Image " + image, "Removing");
                await client.ImageRemoveAsync(image, cancellationToken: cancellationToken).ConfigureAwait(false);
                progress.Event("Image " + image, "Removed");
            }
            catch (ApiException e) when (e.IsNotFound)
            {
                progress.Event("Image " + image, "Removed");
            }
        }
    }
}
