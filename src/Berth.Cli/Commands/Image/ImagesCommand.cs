using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Image;

/// <summary><c>berth images [REPOSITORY[:TAG]]</c>: one row per repository tag, docker's columns and sizes.</summary>
internal sealed class ImagesCommand : CliCommand
{
    private readonly List<string> _filters = [];
    private bool _all;
    private bool _quiet;
    private bool _noTrunc;
    private bool _digests;
    private string _format = "";

    public override string Name => "images";
    public override string Usage => "[OPTIONS] [REPOSITORY[:TAG]]";
    public override string Short => "List images";
    public override ArgsRule Args => ArgsRule.AtMost(1);

    public override void Configure(FlagSet flags)
    {
        flags.Bool("all", 'a', "Show all images (default hides intermediate images)", v => _all = v);
        flags.Bool("digests", null, "Show digests", v => _digests = v);
        flags.List("filter", 'f', "Filter output based on conditions provided", _filters).ValueTypeIs("filter");
        flags.String("format", null, FormatHelp.Table, v => _format = v);
        flags.Bool("no-trunc", null, "Don't truncate output", v => _noTrunc = v);
        flags.Bool("quiet", 'q', "Only show image IDs", v => _quiet = v);
        flags.Bool("tree", null, "List multi-platform images as a tree (EXPERIMENTAL)", _ => { }).UnsupportedBecause(DaemonSupport.RequiresApi("1.47"));
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        // docker's config.json "imagesFormat" is the default format when none is given (not with -q).
        if (_format.Length == 0 && !_quiet)
            _format = context.Config.ImagesFormat ?? "";
        var filters = new Filters();
        foreach (var filter in _filters)
            filters.AddArgument(filter);
        if (args.Count == 1)
            filters.Add("reference", args[0]);
        var images = await context.Client.ImageListAsync(new ImageListOptions { All = _all, Filters = filters }, cancellationToken).ConfigureAwait(false);
        var rows = images.SelectMany(i => ImageContext.Rows(i, !_noTrunc, _digests, context.Clock)).Select(r => (object?)r).ToList();
        FormattedOutput.Write(context.Out, Format(), rows, ImageContext.Headers);
        return 0;
    }

    private string Format()
    {
        if (_quiet)
            return "{{.ID}}";
        if (_format.Length == 0 || _format == "table")
            return _digests ? ImageContext.DefaultTableWithDigest : ImageContext.DefaultTable;
        return _format;
    }
}
