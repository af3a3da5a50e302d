using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// The compose commands that do one thing to each of the project's containers (of the services named, or all):
/// stop, start, restart, kill, pause, unpause; each prints compose's two progress lines per container.
/// Starting goes in dependency order, stopping in the reverse.
/// </summary>
internal sealed class ContainerActionCommand(string name, string summary, string working, string done, bool running,
    Func<ContainerActionCommand, IBerthClient, ContainerSummary, CancellationToken, Task> action) : ComposeSubcommand
{
    public int? Timeout { get; private set; }
    public string? Signal { get; private set; }

    public override string Name => name;
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => summary;

    public override void Configure(FlagSet flags)
    {
        if (name is "stop" or "restart")
            flags.Int("timeout", 't', "Specify a shutdown timeout in seconds", v => Timeout = v);
        if (name == "kill")
        {
            flags.String("signal", 's', "SIGNAL to send to the container", v => Signal = v, "\"SIGKILL\"");
            flags.Bool("remove-orphans", null, "Remove containers for services not defined in the Compose file", _ => { });
        }
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (project, definition) = Compose.NameOrProject(context);
        var containers = (await ProjectContainers.ListAsync(context.Client, project, all: !running, oneoff: false, cancellationToken).ConfigureAwait(false))
            .Where(c => args.Count == 0 || args.Contains(c.ServiceName())).ToList();
        var order = definition is null ? [] : ServiceSelection.DependencyOrder(definition);
        var groups = containers.GroupBy(c => c.ServiceName());
        groups = name is "start" or "unpause" ? groups.OrderBy(g => order.IndexOf(g.Key)) : groups.OrderByDescending(g => order.IndexOf(g.Key));
        using var progress = ComposeProgress.For(context, Compose, name);
        foreach (var group in groups)
            await Task.WhenAll(group.Select(async c =>
            {
                progress.Container(c.Name(), working);
                await action(this, context.Client, c, cancellationToken).ConfigureAwait(false);
                progress.Container(c.Name(), done);
            })).ConfigureAwait(false);
        return 0;
    }

    public static ContainerActionCommand Stop() => new("stop", "Stop services", "Stopping", "Stopped", true,
        (self, client, c, ct) => client.ContainerStopAsync(c.Id, self.Timeout, cancellationToken: ct));

    public static ContainerActionCommand Start() => new("start", "Start services", "Starting", "Started", false,
        (_, client, c, ct) => c.State == "running" ? Task.CompletedTask : client.ContainerStartAsync(c.Id, ct));

    public static ContainerActionCommand Restart() => new("restart", "Restart service containers", "Restarting", "Started", false,
        (self, client, c, ct) => client.ContainerRestartAsync(c.Id, self.Timeout, cancellationToken: ct));

    public static ContainerActionCommand Kill() => new("kill", "Force stop service containers", "Killing", "Killed", true,
        (self, client, c, ct) => client.ContainerKillAsync(c.Id, self.Signal, ct));

    public static ContainerActionCommand Pause() => new("pause", "Pause services", "Pausing", "Paused", true,
        (_, client, c, ct) => client.ContainerPauseAsync(c.Id, ct));

    public static ContainerActionCommand Unpause() => new("unpause", "Unpause services", "Unpausing", "Unpaused", true,
        (_, client, c, ct) => client.ContainerUnpauseAsync(c.Id, ct));
}
