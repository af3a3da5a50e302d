using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose rm</c>: the project's stopped containers, after a confirmation unless <c>-f</c>; <c>-s</c> stops running ones first.</summary>
internal sealed class ComposeRmCommand : ComposeSubcommand
{
    private bool _force;
    private bool _stop;
    private bool _volumes;

    public override string Name => "rm";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "Removes stopped service containers";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("force", 'f', "Don't ask to confirm removal", v => _force = v);
        flags.Bool("stop", 's', "Stop the containers, if required, before removing", v => _stop = v);
        flags.Bool("volumes", 'v', "Remove any anonymous volumes attached to containers", v => _volumes = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (name, _) = Compose.NameOrProject(context);
        using var progress = ComposeProgress.For(context, Compose, "remove");
        var containers = (await ProjectContainers.ListAsync(context.Client, name, all: true, oneoff: false, cancellationToken).ConfigureAwait(false))
            .Where(c => args.Count == 0 || args.Contains(c.ServiceName())).ToList();
        if (_stop)
            foreach (var c in containers.Where(c => c.State == "running"))
            {
                progress.Container(c.Name(), "Stopping");
                await context.Client.ContainerStopAsync(c.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
                progress.Container(c.Name(), "Stopped");
            }
        var stopped = containers.Where(c => _stop || c.State != "running").ToList();
        if (stopped.Count == 0)
        {
            await context.Err.WriteLineAsync("No stopped containers").ConfigureAwait(false);
            return 0;
        }
        if (!_force)
        {
            await context.Err.WriteAsync($"Going to remove {string.Join(", ", stopped.Select(c => c.Name()))}\n? Are you sure? (y/N) ").ConfigureAwait(false);
            var answer = await new StreamReader(context.Console.StdinStream).ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (answer?.Trim() is not ("y" or "Y" or "yes"))
                return 0;
        }
        foreach (var c in stopped)
        {
            progress.Container(c.Name(), "Removing");
            await context.Client.ContainerRemoveAsync(c.Id, removeVolumes: _volumes, cancellationToken: cancellationToken).ConfigureAwait(false);
            progress.Container(c.Name(), "Removed");
        }
        return 0;
    }
}
