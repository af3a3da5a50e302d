using Berth.Cli.Cli;
using Berth.Cli.Commands.Container;

namespace Berth.Cli.Commands.Volume;

/// <summary><c>berth volume rm [-f] VOLUME...</c>: each name printed as it goes, failures together at the end (exit 1).</summary>
internal sealed class VolumeRmCommand : CliCommand
{
    private bool _force;

    public override string Name => "rm";
    public override string Usage => "[OPTIONS] VOLUME [VOLUME...]";
    public override string Short => "Remove one or more volumes";
    public override string Long => "Remove one or more volumes. You cannot remove a volume that is in use by a container.";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags) =>
        flags.Bool("force", 'f', "Force the removal of one or more volumes", v => _force = v);

    public override Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        EachContainer.RunAsync(context, args, name => context.Client.VolumeRemoveAsync(name, _force, cancellationToken));
}
