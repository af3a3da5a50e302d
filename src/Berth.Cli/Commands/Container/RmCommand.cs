using Berth.Api.Client;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth rm</c>; with <c>-f</c> a missing container is reported but is no failure (cleanup scripts under <c>set -e</c>).</summary>
internal sealed class RmCommand : CliCommand
{
    private bool _force;
    private bool _volumes;
    private bool _link;

    public override string Name => "rm";
    public override string Usage => "[OPTIONS] CONTAINER [CONTAINER...]";
    public override string Short => "Remove one or more containers";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags)
    {
        flags.Bool("force", 'f', "Force the removal of a running container (uses SIGKILL)", v => _force = v);
        flags.Bool("volumes", 'v', "Remove anonymous volumes associated with the container", v => _volumes = v);
        flags.Bool("link", 'l', "Remove the specified link", v => _link = v);
    }

    public override Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        EachContainer.RunAsync(context, args.Select(a => a.Trim('/')).ToList(),
            id => context.Client.ContainerRemoveAsync(id, _force, _volumes, _link, cancellationToken),
            e => _force && e is ApiException { IsNotFound: true }, parallel: true);
}
