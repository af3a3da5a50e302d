using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Volume;

/// <summary><c>berth volume ls</c>: docker's DRIVER / VOLUME NAME table, <c>-q</c> names only, <c>--format</c>.</summary>
internal sealed class VolumeLsCommand : CliCommand
{
    private readonly List<string> _filters = [];
    private bool _quiet;
    private string _format = "";

    public override string Name => "ls";
    public override string Usage => "[OPTIONS]";
    public override string Short => "List volumes";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.List("filter", 'f', "Provide filter values (e.g. \"dangling=true\")", _filters).ValueTypeIs("filter");
        flags.String("format", null, FormatHelp.Table, v => _format = v);
        flags.Bool("quiet", 'q', "Only display volume names", v => _quiet = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var filters = new Filters();
        foreach (var filter in _filters)
            filters.AddArgument(filter);
        var list = await context.Client.VolumeListAsync(filters, cancellationToken).ConfigureAwait(false);
        var rows = list.Volumes.OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => (object?)new VolumeRow(v)).ToList();
        var format = _quiet ? "{{.Name}}" : _format.Length == 0 || _format == "table" ? VolumeRow.DefaultTable : _format;
        FormattedOutput.Write(context.Out, format, rows, VolumeRow.Headers);
        foreach (var warning in list.Warnings ?? [])
            await context.Err.WriteLineAsync(warning).ConfigureAwait(false);
        return 0;
    }
}
