using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth diff CONTAINER</c>: one <c>C|A|D path</c> line per change to the container's filesystem.</summary>
internal sealed class DiffCommand : CliCommand
{
    public override string Name => "diff";
    public override string Usage => "CONTAINER";
    public override string Short => "Inspect changes to files or directories on a container's filesystem";
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags)
    {
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var changes = await context.Client.ContainerChangesAsync(args[0], cancellationToken).ConfigureAwait(false);
        foreach (var change in changes)
        {
            var kind = change.Kind switch { 0 => "C", 1 => "A", 2 => "D", _ => "?" };
            await context.Out.WriteLineAsync($"{kind} {change.Path}").ConfigureAwait(false);
        }
        return 0;
    }
}
