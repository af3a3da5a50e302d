using System.Globalization;
using System.Text;
using System.Text.Json;
using Berth.Api.Client;
using Berth.Api.Models.Events;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose events</c>: the project's container events (one-off containers left out), as compose v2 prints
/// them: <c>2006-01-02 15:04:05.000000 container start ID (attrs)</c> followed by an empty line, or with
/// <c>--json</c> one object per line. Compose's own labels are not among the attributes.
/// </summary>
internal sealed class ComposeEventsCommand : ComposeSubcommand
{
    private bool _json;
    private string _since = "";
    private string _until = "";

    public override string Name => "events";
    public override string Usage => "[OPTIONS] [SERVICE...]";
    public override string Short => "Receive real time events from containers";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("json", null, "Output events as a stream of json objects", v => _json = v);
        flags.String("since", null, "Show all events created since timestamp", v => _since = v);
        flags.String("until", null, "Stream events until this timestamp", v => _until = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (project, _) = Compose.NameOrProject(context);
        var now = context.Clock.GetUtcNow();
        var options = new EventsOptions
        {
            Since = _since.Length > 0 ? Timestamps.Resolve(_since, now) : null,
            Until = _until.Length > 0 ? Timestamps.Resolve(_until, now) : null,
            Filters = new Filters().Add("label", $"{ComposeLabels.Project}={project}"),
        };
        await foreach (var message in context.Client.EventsAsync(options, cancellationToken).ConfigureAwait(false))
        {
            var attributes = message.Actor.Attributes;
            var service = attributes.GetValueOrDefault(ComposeLabels.Service, "");
            if (message.Type != "container" || attributes.GetValueOrDefault(ComposeLabels.Oneoff) == "True" || args.Count > 0 && !args.Contains(service))
                continue;
            var shown = attributes.Where(a => !a.Key.StartsWith("com.docker.compose.", StringComparison.Ordinal))
                .OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
            var nanos = message.TimeNano != 0 ? message.TimeNano : message.Time * 1_000_000_000L;
            await context.Out.WriteLineAsync(_json ? Json(message, service, shown, nanos) : Line(message, shown, nanos)).ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>compose's <c>Event.String()</c> ends in a newline and is then printed with <c>Println</c>: hence the empty line after each.</summary>
    private static string Line(EventMessage message, List<KeyValuePair<string, string>> attributes, long nanos) =>
        $"{Local(nanos).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)} container {message.Action} {message.Actor.ID} ("
        + string.Join(", ", attributes.Select(a => $"{a.Key}={a.Value}")) + ")\n";

    /// <summary>Go's <c>json.Marshal</c> of compose's map: keys sorted, the time in RFC 3339 with nanoseconds (trailing zeros cut).</summary>
    private static string Json(EventMessage message, string service, List<KeyValuePair<string, string>> attributes, long nanos)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("action", message.Action);
            writer.WriteStartObject("attributes");
            foreach (var (key, value) in attributes)
                writer.WriteString(key, value);
            writer.WriteEndObject();
            writer.WriteString("id", message.Actor.ID);
            writer.WriteString("service", service);
            writer.WriteString("time", Rfc3339Nano(nanos));
            writer.WriteString("type", "container");
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static DateTimeOffset Local(long nanos) => DateTimeOffset.UnixEpoch.AddTicks(nanos / 100).ToLocalTime();

    private static string Rfc3339Nano(long nanos)
    {
        var local = Local(nanos);
        var fraction = (nanos % 1_000_000_000L).ToString("000000000", CultureInfo.InvariantCulture).TrimEnd('0');
        var offset = local.Offset == TimeSpan.Zero ? "Z" : local.ToString("zzz", CultureInfo.InvariantCulture);
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "") + offset;
    }
}
