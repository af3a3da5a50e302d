using System.Globalization;
using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>up</c> in the foreground: <c>Attaching to …</c>, every container's output prefixed, <c>… exited with code N</c>
/// as each ends; it returns when all have ended, or stops them all at the first exit with
/// <c>--abort-on-container-exit</c> (the first non-zero one with <c>--abort-on-container-failure</c>), or at Ctrl+C (<c>Gracefully stopping...</c>), that stop shown by
/// <paramref name="stopProgress"/> (compose v2's display on a terminal) with <paramref name="timeout"/>.
/// </summary>
internal sealed class AttachedRun(CliContext context, ComposeProject project, LogPrinter printer, Func<ComposeProgress> stopProgress, int? timeout)
{
    private static readonly TimeSpan LogDrain = TimeSpan.FromSeconds(2);

    /// <param name="since">When this <c>up</c> began: compose v2 attaches before it starts the containers, so it shows
    /// their output from then on, that of one that has already ended too (a one-shot job), and none from earlier runs.</param>
    public async Task<int> RunAsync(IReadOnlyList<ServiceConfig> services, AbortOn abort, string? exitCodeFrom, DateTimeOffset since,
        CancellationToken cancellationToken)
    {
        var names = services.Select(s => s.Name).ToHashSet();
        var containers = (await ProjectContainers.ListAsync(context.Client, project.Name, all: true, oneoff: false, cancellationToken).ConfigureAwait(false))
            .Where(c => names.Contains(c.ServiceName())).ToList();
        var logOptions = new LogsOptions
        {
            Follow = true,
            Since = (since.ToUnixTimeMilliseconds() / 1000m).ToString("0.000", CultureInfo.InvariantCulture),
        };
        var shortNames = containers.ToDictionary(c => c.Id, c => c.ShortName(project.Name));
        printer.Register(shortNames.Values);
        await context.Out.WriteLineAsync($"Attaching to {string.Join(", ", shortNames.Values)}").ConfigureAwait(false);
        var logs = containers.ToDictionary(c => c.Id, c => FollowQuietlyAsync(c, shortNames[c.Id], logOptions, cancellationToken));
        var stopping = new TaskCompletionSource();
        using var signals = context.Console.Signals.Subscribe(_ => stopping.TrySetResult());
        var exits = containers.ToDictionary(c => c.Id, c => WaitExitAsync(c, shortNames[c.Id], logs[c.Id], cancellationToken));
        var exitCode = 0;
        var pending = exits.Values.ToList<Task>();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending.Append(stopping.Task)).ConfigureAwait(false);
            if (done == stopping.Task)
            {
                await context.Out.WriteLineAsync("Gracefully stopping... (press Ctrl+C again to force)").ConfigureAwait(false);
                break;
            }
            pending.Remove(done);
            var code = (int)((Task<long>)done).Result;
            if (abort == AbortOn.Exit || abort == AbortOn.Failure && code != 0)
            {
                exitCode = code;
                await context.Out.WriteLineAsync("Aborting on container exit...").ConfigureAwait(false);
                break;
            }
        }
        if (pending.Count > 0)
        {
            using var progress = stopProgress();
            await ContainerStops.StopAllAsync(context.Client, containers, progress, timeout, cancellationToken).ConfigureAwait(false);
        }
        await Task.WhenAll(logs.Values).ConfigureAwait(false);
        if (exitCodeFrom is not null)
            exitCode = await ExitCodeOfAsync(containers, exitCodeFrom, cancellationToken).ConfigureAwait(false);
        return exitCode;
    }

    /// <summary>
    /// The exit, announced after the container's last log line: its log stream ends with it, unless a restart policy
    /// starts it again, hence the bound.
    /// </summary>
    private async Task<long> WaitExitAsync(ContainerSummary container, string name, Task logs, CancellationToken cancellationToken)
    {
        var exit = await (await context.Client.ContainerWaitAsync(container.Id, cancellationToken: cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        await Task.WhenAny(logs, Task.Delay(LogDrain, cancellationToken)).ConfigureAwait(false);
        printer.Status(name, $"exited with code {exit.StatusCode}");
        return exit.StatusCode;
    }

    private async Task FollowQuietlyAsync(ContainerSummary container, string name, LogsOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await printer.FollowAsync(context.Client, container, name, options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<int> ExitCodeOfAsync(List<ContainerSummary> containers, string service, CancellationToken cancellationToken)
    {
        var container = containers.FirstOrDefault(c => c.ServiceName() == service)
                        ?? throw new StatusException(1, $"no such service: {service}");
        return (await context.Client.ContainerInspectAsync(container.Id, cancellationToken: cancellationToken).ConfigureAwait(false)).State.ExitCode;
    }
}

/// <summary>When an attached <c>up</c> stops every container: never, at the first exit, or at the first failure.</summary>
internal enum AbortOn
{
    Never,
    Exit,
    Failure,
}
