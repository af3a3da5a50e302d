using Berth.Cli.Cli;
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
    private bool _noLogPrefix;
    private bool _noColour;
    private string? _exitCodeFrom;

    public override string Name => "up";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "Create and start containers";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("detach", 'd', "Detached mode: Run containers in the background", v => _detach = v);
        flags.Bool("build", null, "Build images before starting containers", v => _build = v);
        flags.Bool("no-build", null, "Don't build an image, even if it's policy", _ => { });
        flags.Bool("wait", null, "Wait for services to be running|healthy. Implies detached mode.", v => _wait = v);
        flags.Int("wait-timeout", null, "Maximum duration in seconds to wait for the project to be running|healthy", _ => { });
        flags.Bool("force-recreate", null, "Recreate containers even if their configuration and image haven't changed", v => _forceRecreate = v);
        flags.Bool("no-recreate", null, "If containers already exist, don't recreate them. Incompatible with --force-recreate.", v => _noRecreate = v);
        flags.Bool("no-deps", null, "Don't start linked services", v => _noDeps = v);
        flags.Bool("no-start", null, "Don't start the services after creating them", v => _noStart = v);
        flags.Bool("remove-orphans", null, "Remove containers for services not defined in the Compose file", v => _removeOrphans = v);
        flags.List("scale", null, "Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present.", _scale);
        flags.Bool("abort-on-container-exit", null, "Stops all containers if any container was stopped. Incompatible with -d", v => _abortOnExit = v);
        flags.String("exit-code-from", null, "Return the exit code of the selected service container. Implies --abort-on-container-exit", v => _exitCodeFrom = v);
        flags.Bool("no-log-prefix", null, "Don't print prefix in logs", v => _noLogPrefix = v);
        flags.Bool("no-color", null, "Produce monochrome output", v => _noColour = v);
        flags.Int("timeout", 't', "Use this timeout in seconds for container shutdown when attached or when containers are already running", _ => { });
        flags.String("pull", null, "Pull image before running (\"always\"|\"missing\"|\"never\")", _ => { }, "\"policy\"");
        flags.Bool("quiet-pull", null, "Pull without printing progress information", _ => { });
        flags.Bool("yes", 'y', "Assume \"yes\" as answer to all prompts and run non-interactively", _ => { });
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (_detach && (_abortOnExit || _exitCodeFrom is not null))
            throw new StatusException(1, "--abort-on-container-exit and --detach are incompatible");
        if (_forceRecreate && _noRecreate)
            throw new StatusException(1, "--force-recreate and --no-recreate are incompatible");
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
        var attached = new AttachedRun(context, project, new LogPrinter(context.Out, context.Err, !_noColour && Compose.Colours(context), !_noLogPrefix));
        return await attached.RunAsync(services, _abortOnExit || _exitCodeFrom is not null, _exitCodeFrom, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>--wait</c>: each container running, and healthy where it has a healthcheck; exit 1 if one is not.</summary>
    private static async Task<int> WaitRunningAsync(CliContext context, ComposeProject project, IReadOnlyList<ServiceConfig> services,
        ComposeProgress progress, CancellationToken cancellationToken)
    {
        var waits = new DependencyWaits(context.Client, progress);
        var names = services.Select(s => s.Name).ToHashSet();
        var containers = (await ProjectContainers.ListAsync(context.Client, project.Name, all: true, oneoff: false, cancellationToken).ConfigureAwait(false))
            .Where(c => names.Contains(c.ServiceName()));
        await Task.WhenAll(containers.Select(async container =>
        {
            var inspect = await context.Client.ContainerInspectAsync(container.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            progress.Container(container.Name(), "Waiting");
            if (inspect.State.Health is not null)
                await waits.HealthyAsync(container.Id, container.Name(), cancellationToken).ConfigureAwait(false);
            else if (!inspect.State.Running)
                throw new InvalidOperationException($"container {container.Name()} exited ({inspect.State.ExitCode})");
            else
                progress.Container(container.Name(), "Healthy");
        })).ConfigureAwait(false);
        return 0;
    }
}
