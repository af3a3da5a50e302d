using Berth.Cli.Cli;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth top CONTAINER [ps OPTIONS]</c>: the daemon's <c>ps</c> table, realigned.</summary>
internal sealed class TopCommand : CliCommand
{
    public override string Name => "top";
    public override string Usage => "CONTAINER [ps OPTIONS]";
    public override string Short => "Display the running processes of a container";
    public override ArgsRule Args => ArgsRule.AtLeast(1);
    public override bool Interspersed => false;

    public override void Configure(FlagSet flags)
    {
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var psArgs = args.Count > 1 ? string.Join(' ', args.Skip(1)) : null;
        var top = await context.Client.ContainerTopAsync(args[0], psArgs, cancellationToken).ConfigureAwait(false);
        var table = new TabWriter(context.Out, minWidth: 20, padding: 3);
        table.Write(string.Join('\t', top.Titles) + "\n");
        foreach (var process in top.Processes)
            table.Write(string.Join('\t', process) + "\n");
        table.Flush();
        return 0;
    }
}
