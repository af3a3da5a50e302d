using Berth.Api.Client;
using Berth.Api.Models.Containers;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// Stops a set of the project's containers together, each reported Stopping then Stopped: how an attached <c>up</c>
/// ends at Ctrl+C or <c>--abort-on-container-exit</c>, and how <c>up --wait</c> ends when a service fails.
/// </summary>
internal static class ContainerStops
{
    /// <param name="timeout">Seconds before SIGKILL; null for each container's own stop timeout.</param>
    public static Task StopAllAsync(IBerthClient client, IEnumerable<ContainerSummary> containers, ComposeProgress progress, int? timeout,
        CancellationToken cancellationToken) =>
        Task.WhenAll(containers.Select(async c =>
        {
            progress.Container(c.Name(), "Stopping");
            await client.ContainerStopAsync(c.Id, timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            progress.Container(c.Name(), "Stopped");
        }));
}
