using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Container;

/// <summary><c>berth ps</c>: the container table (or <c>--format</c>, <c>-q</c>) in docker's columns.</summary>
internal sealed class PsCommand : CliCommand
{
    private readonly List<string> _filters = [];
    private bool _all;
    private bool _quiet;
    private bool _size;
    private bool _noTrunc;
    private bool _latest;
    private int _last = -1;
    private string _format = "";

    public override string Name => "ps";
    public override string Usage => "[OPTIONS]";
    public override string Short => "List containers";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.Bool("all", 'a', "Show all containers (default shows just running)", v => _all = v);
        flags.List("filter", 'f', "Filter output based on conditions provided", _filters).ValueTypeIs("filter");
        flags.String("format", null, FormatHelp.Table, v => _format = v);
        flags.Int("last", 'n', "Show n last created containers (includes all states)", v => _last = v, "-1");
        flags.Bool("latest", 'l', "Show the latest created container (includes all states)", v => _latest = v);
        flags.Bool("no-trunc", null, "Don't truncate output", v => _noTrunc = v);
        flags.Bool("quiet", 'q', "Only display container IDs", v => _quiet = v);
        flags.Bool("size", 's', "Display total file sizes", v => _size = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // docker's config.json "psFormat" is the default format when none is given (not with -q).
        if (_format.Length == 0 && !_quiet)
            _format = context.Config.PsFormat ?? "";
        var filters = new Filters();
        foreach (var filter in _filters)
            filters.AddArgument(filter);
        var last = _latest ? 1 : _last;
        var format = Format();
        try
        {
            // docker's ps checks the template before asking the daemon, in its own words.
            GoTemplate.Parse(FormatDirective.Parse(format).Template);
        }
        catch (TemplateException e)
        {
            throw new StatusException(1, "failed to parse template: " + e.Message);
        }
        var containers = await context.Client.ContainerListAsync(new ContainerListOptions
        {
            All = _all || last > 0,
            Limit = last > 0 ? last : 0,
            Size = _size || format.Contains(".Size", StringComparison.Ordinal),
            Filters = filters,
        }, cancellationToken).ConfigureAwait(false);
        var rows = containers.Select(c => (object?)new ContainerContext(c, !_noTrunc, context.Clock)).ToList();
        FormattedOutput.Write(context.Out, format, rows, ContainerContext.Headers);
        return 0;
    }

    private string Format()
    {
        if (_quiet)
            return "{{.ID}}";
        if (_format.Length == 0 || _format == "table")
            return _size ? ContainerContext.DefaultTableWithSize : ContainerContext.DefaultTable;
        return _format;
    }
}
