using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Compose;

/// <summary><c>berth compose ps</c>: the project's containers in compose v2's table (running ones unless <c>-a</c>).</summary>
internal sealed class ComposePsCommand : ComposeSubcommand
{
    private readonly List<string> _status = [];
    private bool _all;
    private bool _quiet;
    private bool _services;
    private bool _noTrunc;

    public override string Name => "ps";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "List containers";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("all", 'a', "Show all stopped containers (including those created by the run command)", v => _all = v);
        flags.Bool("quiet", 'q', "Only display IDs", v => _quiet = v);
        flags.Bool("services", null, "Display services", v => _services = v);
        flags.Bool("no-trunc", null, "Don't truncate output", v => _noTrunc = v);
        flags.List("status", null, "Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]", _status);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (name, _) = Compose.NameOrProject(context);
        var containers = (await ProjectContainers.ListAsync(context.Client, name, _all || _status.Count > 0, oneoff: _all, cancellationToken).ConfigureAwait(false))
            .Where(c => args.Count == 0 || args.Contains(c.ServiceName()))
            .Where(c => _status.Count == 0 || _status.Contains(c.State))
            .OrderBy(c => c.Name(), StringComparer.Ordinal).ToList();
        if (_quiet || _services)
        {
            foreach (var line in _quiet ? containers.Select(c => c.Id) : containers.Select(c => c.ServiceName()).Distinct())
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            return 0;
        }
        var table = new TabWriter(context.Out);
        table.Write("NAME\tIMAGE\tCOMMAND\tSERVICE\tCREATED\tSTATUS\tPORTS\n");
        foreach (var c in containers)
        {
            var command = GoQuote.String(_noTrunc ? c.Command : Text.Ellipsis(c.Command, 20));
            var created = Text.Ago(DateTimeOffset.FromUnixTimeSeconds(c.Created), context.Clock);
            table.Write($"{c.Name()}\t{c.Image}\t{command}\t{c.ServiceName()}\t{created}\t{c.Status}\t{Ports.Display(c.Ports)}\n");
        }
        table.Flush();
        return 0;
    }
}
