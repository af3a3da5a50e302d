using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose wait SERVICE...</c>: blocks until the services' running containers stop, printing each exit as
/// compose v2 does, and exits with the last status; <c>--down-project</c> then takes the project down.
/// </summary>
internal sealed class ComposeWaitCommand : ComposeSubcommand
{
    private bool _downProject;

    public override string Name => "wait";
    public override string Usage => "SERVICE [SERVICE...] [OPTIONS]";
    public override string Short => "Block until containers of all (or specified) services stop.";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags) =>
        flags.Bool("down-project", null, "Drops project when the first container stops", v => _downProject = v);

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (project, _) = Compose.NameOrProject(context);
        var containers = (await ProjectContainers.ListAsync(context.Client, project, all: false, oneoff: true, cancellationToken).ConfigureAwait(false))
            .Where(c => args.Contains(c.ServiceName())).ToList();
        if (containers.Count == 0)
            throw new StatusException(1, $"no containers for project \"{project}\"");
        long status = 0;
        var output = new Lock();
        await Task.WhenAll(containers.Select(async container =>
        {
            var exit = await (await context.Client.ContainerWaitAsync(container.Id, cancellationToken: cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            lock (output)
            {
                context.Out.WriteLine($"container \"{container.Id}\" exited with status code {exit.StatusCode}");
                status = exit.StatusCode;
            }
        })).ConfigureAwait(false);
        if (_downProject)
            await ServiceContainer.RunAsync(context, new DownCommand { Compose = Compose }, ["--remove-orphans"], cancellationToken).ConfigureAwait(false);
        return (int)status;
    }
}
