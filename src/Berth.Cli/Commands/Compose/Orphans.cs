using Berth.Cli.Cli;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>Containers of the project whose service the files no longer define: removed on request, else a warning.</summary>
internal static class Orphans
{
    public static async Task HandleAsync(CliContext context, ComposeProject project, ComposeProgress progress, bool remove, CancellationToken cancellationToken)
    {
        var orphans = (await ProjectContainers.ListAsync(context.Client, project.Name, all: true, oneoff: false, cancellationToken).ConfigureAwait(false))
            .Where(c => project.Service(c.ServiceName()) is null).ToList();
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
