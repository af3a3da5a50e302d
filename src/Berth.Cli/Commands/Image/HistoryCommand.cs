using System.Globalization;
using Berth.Api.Models.Images;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Image;

/// <summary><c>berth history IMAGE</c>: the image's layers, newest first.</summary>
internal sealed class HistoryCommand : CliCommand
{
    private const string DefaultTable = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    private bool _human = true;
    private bool _noTrunc;
    private bool _quiet;
    private string _format = "";

    public override string Name => "history";
    public override string Usage => "[OPTIONS] IMAGE";
    public override string Short => "Show the history of an image";
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags)
    {
        flags.String("format", null, FormatHelp.Table, v => _format = v);
        flags.Bool("human", 'H', "Print sizes and dates in human readable format", v => _human = v, "true");
        flags.Bool("no-trunc", null, "Don't truncate output", v => _noTrunc = v);
        flags.Bool("quiet", 'q', "Only show image IDs", v => _quiet = v);
        flags.String("platform", null, "Show history for the given platform. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")", _ => { })
            .UnsupportedBecause(DaemonSupport.RequiresApi("1.48"));
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var history = await context.Client.ImageHistoryAsync(args[0], cancellationToken).ConfigureAwait(false);
        var format = _quiet ? "{{.ID}}" : _format.Length == 0 || _format == "table" ? DefaultTable : _format;
        var rows = history.Select(h => (object?)new HistoryRow(h, !_noTrunc, _human, context.Clock)).ToList();
        FormattedOutput.Write(context.Out, format, rows, HistoryRow.Headers);
        return 0;
    }

    private sealed class HistoryRow(ImageHistoryResponseItem item, bool truncate, bool human, TimeProvider clock) : ITemplateObject
    {
        public static readonly HeaderContext Headers = new(new Dictionary<string, string>
        {
            ["ID"] = "IMAGE", ["CreatedSince"] = "CREATED", ["CreatedAt"] = "CREATED AT", ["CreatedBy"] = "CREATED BY",
            ["Size"] = "SIZE", ["Comment"] = "COMMENT",
        });

        public IEnumerable<string> FieldNames => ["Comment", "CreatedAt", "CreatedBy", "CreatedSince", "ID", "Size"];

        public bool TryGetField(string name, out object? value)
        {
            var created = DateTimeOffset.FromUnixTimeSeconds(item.Created);
            value = name switch
            {
                "ID" => truncate && item.Id.StartsWith("sha256:", StringComparison.Ordinal) ? Text.TruncateId(item.Id) : item.Id,
                "CreatedSince" => human ? Text.Ago(created, clock) : Text.Rfc3339(created),
                "CreatedAt" => Text.Rfc3339(created),
                "CreatedBy" => truncate ? Text.Ellipsis(item.CreatedBy.Replace('\t', ' '), 45) : item.CreatedBy.Replace('\t', ' '),
                "Size" => human ? Text.Size(item.Size) : item.Size.ToString(CultureInfo.InvariantCulture),
                "Comment" => item.Comment,
                _ => null,
            };
            return value is not null;
        }
    }
}
