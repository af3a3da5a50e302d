using System.Globalization;
using Berth.Api.Models.Networks;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>
/// One <c>network ls</c> row as templates see it (docker's <c>network.networkContext</c>): <c>{{.ID}}</c>,
/// <c>{{.Name}}</c>, <c>{{.Label "k"}}</c>…; <paramref name="truncate"/> is false with <c>--no-trunc</c>.
/// </summary>
internal sealed class NetworkContext(NetworkResource network, bool truncate) : ITemplateObject
{
    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

    public static readonly HeaderContext Headers = new(new Dictionary<string, string>
    {
        ["ID"] = "NETWORK ID", ["Name"] = "NAME", ["Driver"] = "DRIVER", ["Scope"] = "SCOPE", ["IPv4"] = "IPV4",
        ["IPv6"] = "IPV6", ["Internal"] = "INTERNAL", ["Labels"] = "LABELS", ["Label"] = "LABEL", ["CreatedAt"] = "CREATED AT",
    });

    private static readonly string[] Fields = ["CreatedAt", "Driver", "ID", "IPv4", "IPv6", "Internal", "Labels", "Name", "Scope"];

    public IEnumerable<string> FieldNames => Fields;

    public string TypeName => "*network.networkContext";

    /// <summary>docker's formats for <c>--format</c> values that are keywords (<c>table</c>, <c>raw</c>), <c>-q</c> applied.</summary>
    public static string Format(string format, bool quiet) => format switch
    {
        "table" => quiet ? "{{.ID}}" : DefaultTable,
        "raw" => quiet ? "network_id: {{.ID}}" : "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n",
        _ => format,
    };

    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "ID" => truncate ? Text.TruncateId(network.Id) : network.Id,
            "Name" => network.Name,
            "Driver" => network.Driver,
            "Scope" => network.Scope,
            "IPv4" => GoBool(network.EnableIPv4 == true),
            "IPv6" => GoBool(network.EnableIPv6),
            "Internal" => GoBool(network.Internal),
            "Labels" => string.Join(',', Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
            "CreatedAt" => CreatedAt(network.Created),
            _ => null,
        };
        return value is not null;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> args, out object? value)
    {
        value = null;
        if (name != "Label" || args.Count != 1 || args[0] is not string key)
            return false;
        value = Labels.GetValueOrDefault(key, "");
        return true;
    }

    /// <summary>A daemon may send <c>"Labels": null</c>; docker prints nothing for it.</summary>
    private Dictionary<string, string> Labels => network.Labels ?? [];

    private static string GoBool(bool value) => value ? "true" : "false";

    /// <summary>
    /// Go's <c>time.Time.String()</c> of the RFC 3339 time the daemon sent, in the zone it was written in:
    /// <c>2025-01-01 12:00:00.123456789 +0000 UTC</c> (fraction without trailing zeros, none when whole).
    /// </summary>
    internal static string CreatedAt(string created)
    {
        if (!DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time))
            return "0001-01-01 00:00:00 +0000 UTC";
        var dot = created.IndexOf('.', StringComparison.Ordinal);
        var fraction = "";
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < created.Length && char.IsAsciiDigit(created[end]))
                end++;
            fraction = created[(dot + 1)..end].TrimEnd('0');
        }
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        var numeric = $"{sign}{abs.Hours:00}{abs.Minutes:00}";
        return time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : "")
            + $" {numeric} {(offset == TimeSpan.Zero ? "UTC" : numeric)}";
    }
}
