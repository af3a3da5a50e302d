using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Network;

/// <summary><c>berth network ls</c>: networks sorted by name as docker sorts them (natural order), docker's columns.</summary>
internal sealed class NetworkLsCommand : CliCommand
{
    private readonly Filters _filters = new();
    private bool _quiet;
    private bool _noTrunc;
    private string _format = "";

    public override string Name => "ls";
    public override string Usage => "[OPTIONS]";
    public override string Short => "List networks";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.String("filter", 'f', "Provide filter values (e.g. \"driver=bridge\")", v => _filters.AddArgument(v)).ValueTypeIs("filter");
        flags.String("format", null, FormatHelp.Table, v => _format = v);
        flags.Bool("no-trunc", null, "Do not truncate the output", v => _noTrunc = v);
        flags.Bool("quiet", 'q', "Only display network IDs", v => _quiet = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var networks = await context.Client.NetworkListAsync(_filters, cancellationToken).ConfigureAwait(false);
        var format = _format.Length > 0 ? _format : !_quiet && context.Config.NetworksFormat is { Length: > 0 } configured ? configured : "table";
        var rows = networks.OrderBy(n => n.Name, NaturalOrder.Instance).Select(n => (object?)new NetworkContext(n, !_noTrunc)).ToList();
        FormattedOutput.Write(context.Out, NetworkContext.Format(format, _quiet), rows, NetworkContext.Headers);
        return 0;
    }
}
