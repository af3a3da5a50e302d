using Berth.Api.Models.Containers;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>
/// One <c>ps</c> row as templates see it (docker's <c>formatter.ContainerContext</c>): <c>{{.ID}}</c>,
/// <c>{{.Names}}</c>, <c>{{.Label "k"}}</c>…; <paramref name="truncate"/> is false with <c>--no-trunc</c>.
/// </summary>
internal sealed class ContainerContext(ContainerSummary container, bool truncate, TimeProvider clock) : ITemplateObject
{
    public const string DefaultTable = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    public const string DefaultTableWithSize = DefaultTable + "\t{{.Size}}";

    public static readonly HeaderContext Headers = new(new Dictionary<string, string>
    {
        ["ID"] = "CONTAINER ID", ["Image"] = "IMAGE", ["Command"] = "COMMAND", ["CreatedAt"] = "CREATED AT",
        ["RunningFor"] = "CREATED", ["Ports"] = "PORTS", ["State"] = "STATE", ["Status"] = "STATUS", ["Size"] = "SIZE",
        ["Names"] = "NAMES", ["Labels"] = "LABELS", ["Label"] = "LABEL", ["Mounts"] = "MOUNTS", ["Networks"] = "NETWORKS",
        ["LocalVolumes"] = "LOCAL VOLUMES", ["Platform"] = "PLATFORM",
    });

    private static readonly string[] Fields =
        ["Command", "CreatedAt", "ID", "Image", "Labels", "LocalVolumes", "Mounts", "Names", "Networks", "Platform", "Ports", "RunningFor", "Size", "State", "Status"];

    public IEnumerable<string> FieldNames => Fields;

    public string TypeName => "*formatter.ContainerContext";

    public bool TryGetField(string name, out object? value)
    {
        if (name == "Platform")
        {
            // docker's *Platform comes from the image manifest descriptor, which API 1.44 does not send: a nil pointer.
            value = NilPointer.Instance;
            return true;
        }
        value = name switch
        {
            "ID" => truncate ? Text.TruncateId(container.Id) : container.Id,
            "Names" => Names(),
            "Image" => Image(),
            "Command" => GoQuote.String(truncate ? Text.Ellipsis(container.Command, 20) : container.Command),
            "CreatedAt" => Text.GoTime(DateTimeOffset.FromUnixTimeSeconds(container.Created)),
            "RunningFor" => Text.Ago(DateTimeOffset.FromUnixTimeSeconds(container.Created), clock),
            "Ports" => Ports.Display(container.Ports),
            "State" => container.State,
            "Status" => container.Status,
            "Size" => Size(),
            "Labels" => string.Join(',', container.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
            "Mounts" => string.Join(',', container.Mounts.Select(m => truncate ? Text.Ellipsis(m.Name ?? m.Source, 15) : m.Name ?? m.Source)),
            "LocalVolumes" => container.Mounts.Count(m => m.Driver == "local").ToString(System.Globalization.CultureInfo.InvariantCulture),
            "Networks" => string.Join(',', container.NetworkSettings.Networks.Keys.Order(StringComparer.Ordinal)),
            _ => null,
        };
        return value is not null;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> args, out object? value)
    {
        value = null;
        if (name != "Label" || args.Count != 1 || args[0] is not string key)
            return false;
        value = container.Labels.GetValueOrDefault(key, "");
        return true;
    }

    private string Names()
    {
        var names = container.Names.Select(Text.StripSlash).ToList();
        if (truncate && names.FirstOrDefault(n => !n.Contains('/')) is { } plain)
            return plain;
        return string.Join(',', names);
    }

    private string Image()
    {
        if (container.Image.Length == 0)
            return "<no image>";
        if (!truncate)
            return container.Image;
        if (Text.TruncateId(container.ImageID) == Text.TruncateId(container.Image))
            return Text.TruncateId(container.ImageID);
        if (ImageReference.TryParse(container.Image) is { } reference)
            return reference.FamiliarName + (reference.Tag is { } tag ? ":" + tag : "");
        return container.Image;
    }

    private string Size()
    {
        var rw = Text.Size(container.SizeRw ?? 0);
        return container.SizeRootFs is > 0 ? $"{rw} (virtual {Text.Size(container.SizeRootFs.Value)})" : rw;
    }
}

/// <summary>The header row of a table: every field renders as its column title.</summary>
internal sealed class HeaderContext(IReadOnlyDictionary<string, string> titles) : ITemplateObject
{
    public bool TryGetField(string name, out object? value)
    {
        value = titles.TryGetValue(name, out var title) ? title : name.ToUpperInvariant();
        return true;
    }

    public bool TryInvoke(string name, IReadOnlyList<object?> args, out object? value)
    {
        value = titles.TryGetValue(name, out var title) ? title : name.ToUpperInvariant();
        return true;
    }

    public IEnumerable<string> FieldNames => titles.Keys;
}
