using Berth.Cli.Cli;
using Berth.Cli.Commands.Container;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose cp</c>: <c>berth cp</c> with a service in place of a container. From a service it reads the
/// first container (or <c>--index</c>); to a service it writes every container, as compose v2 does, each announced
/// with compose's progress lines.
/// </summary>
internal sealed class ComposeCpCommand : ComposeSubcommand
{
    private int _index;
    private bool _all;
    private bool _followLink;
    private bool _archive;

    public override string Name => "cp";
    public override string Usage => "[OPTIONS] SERVICE:SRC_PATH DEST_PATH|-\n\tberth compose cp [OPTIONS] SRC_PATH|- SERVICE:DEST_PATH";
    public override string Short => "Copy files/folders between a service container and the local filesystem";
    public override ArgsRule Args => ArgsRule.Exactly(2);

    public override void Configure(FlagSet flags)
    {
        flags.Int("index", null, "Index of the container if service has multiple replicas", v => _index = v, "0");
        flags.Bool("all", null, "Include containers created by the run command", v => _all = v);
        flags.Bool("follow-link", 'L', "Always follow symbol link in SRC_PATH", v => _followLink = v);
        flags.Bool("archive", 'a', "Archive mode (copy all uid/gid information)", v => _archive = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args[0].Length == 0)
            throw new StatusException(1, "source can not be empty");
        if (args[1].Length == 0)
            throw new StatusException(1, "destination can not be empty");
        var (from, source) = CopyPaths.Split(args[0]);
        var (to, destination) = CopyPaths.Split(args[1]);
        if (from is not null && to is not null)
            throw new StatusException(1, "copying between services is not supported");
        var service = from ?? to ?? throw new StatusException(1, "unknown copy direction");
        var (project, _) = Compose.NameOrProject(context);
        var targets = await TargetsAsync(context, project, service, toService: to is not null, cancellationToken).ConfigureAwait(false);
        using var progress = ComposeProgress.For(context, Compose, "copy");
        await Task.WhenAll(targets.Select(async container =>
        {
            var name = container.Name();
            var details = to is null ? $"{name}:{source} to {destination}" : $"{source} to {name}:{destination}";
            progress.Container(name, "Copying", details);
            var cpArgs = new List<string> { "--quiet" };
            if (_followLink)
                cpArgs.Add("-L");
            if (_archive)
                cpArgs.Add("-a");
            cpArgs.AddRange(to is null ? [$"{container.Id}:{source}", destination] : [source, $"{container.Id}:{destination}"]);
            await ServiceContainer.RunAsync(context, new CpCommand(), cpArgs, cancellationToken).ConfigureAwait(false);
            progress.Container(name, "Copied", details);
        })).ConfigureAwait(false);
        return 0;
    }

    private async Task<IReadOnlyList<Api.Models.Containers.ContainerSummary>> TargetsAsync(CliContext context, string project, string service, bool toService,
        CancellationToken cancellationToken)
    {
        if (_index > 0)
            return [await ServiceContainer.FindAsync(context, project, service, _index, oneoff: false, all: true, cancellationToken).ConfigureAwait(false)];
        var containers = (await ProjectContainers.ListAsync(context.Client, project, all: true, oneoff: _all, cancellationToken).ConfigureAwait(false))
            .Where(c => c.ServiceName() == service).ToList();
        if (containers.Count == 0)
            throw new StatusException(1, $"no container found for service \"{service}\"");
        return toService ? containers : containers[..1];
    }
}
