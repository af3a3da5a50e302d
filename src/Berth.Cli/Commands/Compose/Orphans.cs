using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>Containers of the project whose service the files no longer define: removed on request, else a warning.</summary>
internal static class Orphans
{
    /// <param name="containers">The project's containers, one-off ones excepted.</param>
    public static async Task HandleAsync(CliContext context, ComposeProject project, IReadOnlyList<ContainerSummary> containers, ComposeProgress progress,
        bool remove, CancellationToken cancellationToken)
    {
        var orphans = containers.Where(c => project.Service(c.ServiceName()) is null).ToList();
        if (orphans.Count == 0)
            return;
        if (!remove)
        {
            await context.Err.WriteLineAsync($"WARN[0000] Found orphan containers ([{string.Join(' ', orphans.Select(o => o.Name()))}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.").ConfigureAwait(false);
            return;
        }
        await Task.WhenAll(orphans.Select(async orphan =>
        {
            progress.Container(orphan.Name(), "Stopping");
            await context.Client.ContainerStopAsync(orphan.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            progress.Container(orphan.Name(), "Stopped");
            progress.Container(orphan.Name(), "Removing");
            await context.Client.ContainerRemoveAsync(orphan.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            progress.Container(orphan.Name(), "Removed");
        })).ConfigureAwait(false);
    }
}
