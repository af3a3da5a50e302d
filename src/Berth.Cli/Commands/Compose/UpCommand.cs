using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose up</c>: networks and volumes, images, then each service's containers converged in dependency
/// order; detached it returns, <c>--wait</c> waits for them to be running or healthy, attached it prints their logs
/// until they all exit (or the first does, with <c>--abort-on-container-exit</c>).
/// </summary>
internal sealed class UpCommand : ComposeSubcommand
{
    private readonly List<string> _scale = [];
    private bool _detach;
    private bool _build;
    private bool _wait;
    private bool _forceRecreate;
    private bool _noRecreate;
    private bool _noDeps;
    private bool _noStart;
    private bool _removeOrphans;
    private bool _abortOnExit;
    private bool _abortOnFailure;
    private bool _noLogPrefix;
    private bool _noColour;
    private string? _exitCodeFrom;
    private int? _timeout;
    private int _waitTimeout;

    public override string Name => "up";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "Create and start containers";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("detach", 'd', "Detached mode: Run containers in the background", v => _detach = v);
        flags.Bool("build", null, "Build images before starting containers", v => _build = v);
        flags.Bool("no-build", null, "Don't build an image, even if it's policy", _ => { });
        flags.Bool("wait", null, "Wait for services to be running|healthy. Implies detached mode.", v => _wait = v);
        flags.Int("wait-timeout", null, "Maximum duration in seconds to wait for the project to be running|healthy", v => _waitTimeout = v);
        flags.Bool("force-recreate", null, "Recreate containers even if their configuration and image haven't changed", v => _forceRecreate = v);
        flags.Bool("no-recreate", null, "If containers already exist, don't recreate them. Incompatible with --force-recreate.", v => _noRecreate = v);
        flags.Bool("no-deps", null, "Don't start linked services", v => _noDeps = v);
        flags.Bool("no-start", null, "Don't start the services after creating them", v => _noStart = v);
        flags.Bool("remove-orphans", null, "Remove containers for services not defined in the Compose file", v => _removeOrphans = v);
        flags.List("scale", null, "Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present.", _scale);
        flags.Bool("abort-on-container-exit", null, "Stops all containers if any container was stopped. Incompatible with -d", v => _abortOnExit = v);
        flags.Bool("abort-on-container-failure", null, "Stops all containers if any container exited with failure. Incompatible with -d", v => _abortOnFailure = v);
        flags.String("exit-code-from", null, "Return the exit code of the selected service container. Implies --abort-on-container-exit", v => _exitCodeFrom = v);
        flags.Bool("no-log-prefix", null, "Don't print prefix in logs", v => _noLogPrefix = v);
        flags.Bool("no-color", null, "Produce monochrome output", v => _noColour = v);
        flags.Int("timeout", 't', "Use this timeout in seconds for container shutdown when attached or when containers are already running", v => _timeout = v);
        flags.String("pull", null, "Pull image before running (\"always\"|\"missing\"|\"never\")", _ => { }, "\"policy\"");
        flags.Bool("quiet-pull", null, "Pull without printing progress information", _ => { });
        flags.Bool("yes", 'y', "Assume \"yes\" as answer to all prompts and run non-interactively", _ => { });
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (_detach && (_abortOnExit || _exitCodeFrom is not null))
            throw new StatusException(1, "--abort-on-container-exit and --detach are incompatible");
        if (_detach && _abortOnFailure)
            throw new StatusException(1, "--abort-on-container-failure and --detach are incompatible");
        if (_abortOnFailure && (_abortOnExit || _exitCodeFrom is not null))
            throw new StatusException(1, "--abort-on-container-failure cannot be combined with --abort-on-container-exit");
        if (_forceRecreate && _noRecreate)
            throw new StatusException(1, "--force-recreate and --no-recreate are incompatible");
        var startedAt = DateTimeOffset.UtcNow;
        var project = Compose.Load(context, args);
        var services = ServiceSelection.Select(project, args, !_noDeps);
        var options = new ConvergeOptions
        {
            ForceRecreate = _forceRecreate,
            NoRecreate = _noRecreate,
            Build = _build,
            Start = !_noStart,
            Scale = _scale.Select(ProjectCreation.ParseScale).ToDictionary(s => s.Service, s => s.Count),
        };
        // Attached, the display ends before the containers' logs begin.
        using (var progress = ComposeProgress.For(context, Compose, "up", detached: _detach || _wait))
        {
            await ProjectCreation.RunAsync(context, project, services, progress, options, _removeOrphans, cancellationToken).ConfigureAwait(false);
            if (_wait)
                return await WaitRunningAsync(context, project, services, progress, cancellationToken).ConfigureAwait(false);
        }
        if (_detach || _noStart)
            return 0;
        var printer = new LogPrinter(context.Out, context.Err, !_noColour && Compose.Colours(context), !_noLogPrefix);
        var attached = new AttachedRun(context, project, printer, () => ComposeProgress.For(context, Compose, "stop"), _timeout);
        var abort = _abortOnFailure ? AbortOn.Failure : _abortOnExit || _exitCodeFrom is not null ? AbortOn.Exit : AbortOn.Never;
        return await attached.RunAsync(services, abort, _exitCodeFrom, startedAt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>--wait</c>: each container running, and healthy where it has a healthcheck, or exited 0 for a one-shot
    /// service another one waits for with <c>service_completed_successfully</c> (compose v2 waits for those to
    /// finish, or the wait would never end). The first that fails stops the others and the command exits 1, as does
    /// <c>--wait-timeout</c> passing (leaving them be, as compose v2 does).
    /// </summary>
    private async Task<int> WaitRunningAsync(CliContext context, ComposeProject project, IReadOnlyList<ServiceConfig> services,
        ComposeProgress progress, CancellationToken cancellationToken)
    {
        var waits = new DependencyWaits(context.Client, progress);
        var names = services.Select(s => s.Name).ToHashSet();
        var oneShots = project.Services.SelectMany(s => s.DependsOn)
            .Where(d => d.Condition == Dependency.CompletedSuccessfully).Select(d => d.Service).ToHashSet();
        var containers = (await ProjectContainers.ListAsync(context.Client, project.Name, all: true, oneoff: false, cancellationToken).ConfigureAwait(false))
            .Where(c => names.Contains(c.ServiceName())).ToList();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_waitTimeout > 0)
            failed.CancelAfter(TimeSpan.FromSeconds(_waitTimeout));
        var tasks = containers.Select(async container =>
        {
            try
            {
                await WaitOneAsync(context, waits, progress, container, oneShots.Contains(container.ServiceName()), failed.Token).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
            return 0;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (tasks.FirstOrDefault(t => t.IsFaulted) is not { } faulted)
                throw new StatusException(1, $"application not healthy after {ProgressBar.GoDuration(TimeSpan.FromSeconds(_waitTimeout))}");
            var reason = faulted.Exception!.InnerException!.Message;
            await ContainerStops.StopAllAsync(context.Client, containers, progress, _timeout, CancellationToken.None).ConfigureAwait(false);
            throw new StatusException(1, reason);
        }
    }

    private static async Task WaitOneAsync(CliContext context, DependencyWaits waits, ComposeProgress progress, ContainerSummary container,
        bool oneShot, CancellationToken cancellationToken)
    {
        var inspect = await context.Client.ContainerInspectAsync(container.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        progress.Container(container.Name(), "Waiting");
        if (oneShot)
            await waits.CompletedAsync(container.Id, container.ServiceName(), container.Name(), cancellationToken).ConfigureAwait(false);
        else if (inspect.State.Health is not null)
            await waits.HealthyAsync(container.Id, container.Name(), cancellationToken).ConfigureAwait(false);
        else if (!inspect.State.Running)
            throw new InvalidOperationException($"container {container.Name()} exited ({inspect.State.ExitCode})");
        else
            progress.Container(container.Name(), "Healthy");
    }
}
