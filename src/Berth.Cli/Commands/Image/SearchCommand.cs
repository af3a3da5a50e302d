using System.Globalization;
using System.Text.Json;
using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Image;

/// <summary>
/// <c>berth search TERM</c>: the daemon asks the term's registry (with the stored credentials for it) and the results
/// print in docker's columns; a registry that does not answer searches is the daemon's error.
/// </summary>
internal sealed class SearchCommand : CliCommand
{
    private readonly List<string> _filters = [];
    private string _format = "";
    private int _limit;
    private bool _noTrunc;

    public override string Name => "search";
    public override string Usage => "[OPTIONS] TERM";
    public override string Short => "Search Docker Hub for images";
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags)
    {
        flags.List("filter", 'f', "Filter output based on conditions provided", _filters).ValueTypeIs("filter");
        flags.String("format", null, "Pretty-print search using a Go template", v => _format = v);
        flags.Int("limit", null, "Max number of search results", v => _limit = v);
        flags.Bool("no-trunc", null, "Don't truncate output", v => _noTrunc = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var filters = new Filters();
        foreach (var filter in _filters)
            filters.AddArgument(filter);
        var reference = ImageReference.TryParse(args[0]);
        var auth = reference is null ? null : await context.RegistryAuthAsync(reference, cancellationToken).ConfigureAwait(false);
        var results = await context.Client.ImageSearchAsync(args[0], _limit, filters, auth, cancellationToken).ConfigureAwait(false);
        var rows = results.ValueKind == JsonValueKind.Array
            ? results.EnumerateArray().Select(r => (object?)new SearchRow(r, !_noTrunc)).ToList()
            : [];
        FormattedOutput.Write(context.Out, _format is "" or "table" ? SearchRow.DefaultTable : _format, rows, SearchRow.Headers);
        return 0;
    }

    /// <summary>One result as docker's <c>searchContext</c> shows it: descriptions on one line, cut to 45 columns.</summary>
    private sealed class SearchRow(JsonElement result, bool truncate) : ITemplateObject
    {
        public const string DefaultTable = "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}";

        public static readonly HeaderContext Headers = new(new Dictionary<string, string>
        {
            ["Name"] = "NAME", ["Description"] = "DESCRIPTION", ["StarCount"] = "STARS", ["IsOfficial"] = "OFFICIAL", ["IsAutomated"] = "AUTOMATED",
        });

        public IEnumerable<string> FieldNames => ["Description", "IsAutomated", "IsOfficial", "Name", "StarCount"];

        public string TypeName => "*image.searchContext";

        public bool TryGetField(string name, out object? value)
        {
            value = name switch
            {
                "Name" => Text("name"),
                "Description" => Describe(),
                "StarCount" => (result.TryGetProperty("star_count", out var stars) && stars.TryGetInt64(out var n) ? n : 0).ToString(CultureInfo.InvariantCulture),
                "IsOfficial" => Flag("is_official"),
                "IsAutomated" => Flag("is_automated"),
                _ => null,
            };
            return value is not null;
        }

        private string Describe()
        {
            var description = Text("description").Replace('\n', ' ').Replace('\r', ' ');
            return truncate ? Formatting.Text.Ellipsis(description, 45) : description;
        }

        private string Text(string key) => result.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

        private string Flag(string key) => result.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.True ? "[OK]" : "";
    }
}
