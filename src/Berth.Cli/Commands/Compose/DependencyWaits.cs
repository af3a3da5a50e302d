using Berth.Api.Client;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>depends_on</c>'s conditions, checked on the dependency's containers before the dependent ones are created:
/// <c>service_healthy</c> polls their health, <c>service_completed_successfully</c> waits for their exit and
/// wants 0, <c>service_started</c> holds once they are started.
/// </summary>
internal sealed class DependencyWaits(IBerthClient client, ComposeProgress progress)
{
    /// <summary>
    /// Short: a health status is known the moment the daemon records a probe, and a dependent's start waits on it
    /// (an inspect of berthd costs well under a millisecond).
    /// </summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <param name="containers">The dependency's containers, as its convergence left them.</param>
    public async Task WaitAsync(Dependency dependency, IReadOnlyList<(string Id, string Name)> containers, CancellationToken cancellationToken)
    {
        if (dependency.Condition == Dependency.Started)
            return;
        foreach (var (id, name) in containers)
        {
            progress.Container(name, "Waiting");
            if (dependency.Condition == Dependency.Healthy)
                await HealthyAsync(id, name, cancellationToken).ConfigureAwait(false);
            else
                await CompletedAsync(id, dependency.Service, name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Until the container is healthy; an unhealthy or stopped one fails the dependents, as in compose.</summary>
    public async Task HealthyAsync(string id, string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = (await client.ContainerInspectAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false)).State;
            if (state.Health is null)
                throw new InvalidOperationException($"container {name} has no healthcheck configured");
            if (state.Health.Status == "healthy")
            {
                progress.Container(name, "Healthy");
                return;
            }
            if (state.Health.Status == "unhealthy")
                throw new InvalidOperationException($"dependency failed to start: container {name} is unhealthy");
            if (state.Status is "exited" or "dead")
                throw new InvalidOperationException($"dependency failed to start: container {name} exited ({state.ExitCode})");
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Until the container exits; anything but 0 fails, as in compose.</summary>
    public async Task CompletedAsync(string id, string service, string name, CancellationToken cancellationToken)
    {
        var exit = await (await client.ContainerWaitAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        progress.Container(name, "Exited");
        if (exit.StatusCode != 0)
            throw new InvalidOperationException($"service \"{service}\" didn't complete successfully: exit {exit.StatusCode}");
    }
}
