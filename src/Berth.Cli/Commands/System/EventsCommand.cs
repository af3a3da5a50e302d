using Berth.Api.Client;
using Berth.Api.Models;
using Berth.Api.Models.Events;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.System;

/// <summary><c>berth events</c>: one line per event (<c>time type action id (attrs)</c>) or <c>--format</c>, until interrupted or <c>--until</c>.</summary>
internal sealed class EventsCommand : CliCommand
{
    private readonly List<string> _filters = [];
    private string _since = "";
    private string _until = "";
    private string _format = "";

    public override string Name => "events";
    public override string Usage => "[OPTIONS]";
    public override string Short => "Get real time events from the server";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.List("filter", 'f', "Filter output based on conditions provided", _filters).ValueTypeIs("filter");
        flags.String("format", null, FormatHelp.Object, v => _format = v);
        flags.String("since", null, "Show all events created since timestamp", v => _since = v);
        flags.String("until", null, "Stream events until this timestamp", v => _until = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var filters = new Filters();
        foreach (var filter in _filters)
            filters.AddArgument(filter);
        var now = context.Clock.GetUtcNow();
        var template = _format.Length > 0 ? FormatTemplate.Parse(_format) : null;
        var options = new EventsOptions
        {
            Since = _since.Length > 0 ? Timestamps.Resolve(_since, now) : null,
            Until = _until.Length > 0 ? Timestamps.Resolve(_until, now) : null,
            Filters = filters,
        };
        await foreach (var message in context.Client.EventsAsync(options, cancellationToken).ConfigureAwait(false))
        {
            if (template is null)
            {
                await context.Out.WriteAsync(Pretty(message)).ConfigureAwait(false);
                continue;
            }
            template.Execute(context.Out, JsonData.ToElement(JsonData.ToNode(message, ApiJsonContext.Default.EventMessage)!));
            await context.Out.WriteAsync('\n').ConfigureAwait(false);
        }
        return 0;
    }

    internal static string Pretty(EventMessage message)
    {
        var line = new global::System.Text.StringBuilder();
        if (message.TimeNano != 0)
            line.Append(Text.Rfc3339NanoFixed(message.TimeNano)).Append(' ');
        else if (message.Time != 0)
            line.Append(Text.Rfc3339NanoFixed(message.Time * 1_000_000_000L)).Append(' ');
        line.Append(message.Type).Append(' ').Append(message.Action).Append(' ').Append(message.Actor.ID);
        if (message.Actor.Attributes.Count > 0)
        {
            var attributes = message.Actor.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}");
            line.Append(" (").Append(string.Join(", ", attributes)).Append(')');
        }
        return line.Append('\n').ToString();
    }
}
