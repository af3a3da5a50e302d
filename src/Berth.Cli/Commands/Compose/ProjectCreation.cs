using System.Globalization;
using Berth.Cli.Cli;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// What <c>up</c> and <c>create</c> share: every container's create body checked first (so a bad setting, such as an
/// unreadable seccomp profile, is refused before anything exists), orphans handled, networks and volumes made,
/// then the services converged.
/// </summary>
internal static class ProjectCreation
{
    public static async Task RunAsync(CliContext context, ComposeProject project, IReadOnlyList<ServiceConfig> services, ComposeProgress progress,
        ConvergeOptions options, bool removeOrphans, CancellationToken cancellationToken)
    {
        foreach (var service in services)
        {
            ContainerSpec.Build(project, service, ProjectContainers.DefaultName(project.Name, service.Name, 1), 1, oneoff: false);
            FileInjection.Files(project, service);
        }
        // One listing of the project's containers serves the orphans and the convergence.
        var existing = await ProjectContainers.ListAsync(context.Client, project.Name, all: true, oneoff: false, cancellationToken).ConfigureAwait(false);
        await Orphans.HandleAsync(context, project, existing, progress, removeOrphans, cancellationToken).ConfigureAwait(false);
        var resources = new ProjectResources(context.Client, project, progress);
        await Task.WhenAll(resources.EnsureNetworksAsync(cancellationToken), resources.EnsureVolumesAsync(cancellationToken)).ConfigureAwait(false);
        await new Convergence(context, project, progress, options).RunAsync(services, cancellationToken, existing).ConfigureAwait(false);
    }

    /// <summary>A <c>--scale SERVICE=NUM</c> value.</summary>
    public static (string Service, int Count) ParseScale(string value)
    {
        var eq = value.IndexOf('=');
        return eq > 0 && int.TryParse(value[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? (value[..eq], n)
            : throw new FlagException($"invalid argument \"{value}\" for \"--scale\" flag: expected SERVICE=NUM");
    }
}
