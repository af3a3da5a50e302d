using Berth.Api.Models.Volumes;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Volume;

/// <summary>One <c>volume ls</c> row (docker's <c>formatter.volumeContext</c>).</summary>
internal sealed class VolumeRow(Api.Models.Volumes.Volume volume) : ITemplateObject
{
    public const string DefaultTable = "table {{.Driver}}\t{{.Name}}";

    public static readonly HeaderContext Headers = new(new Dictionary<string, string>
    {
        ["Name"] = "VOLUME NAME", ["Driver"] = "DRIVER", ["Scope"] = "SCOPE", ["Mountpoint"] = "MOUNTPOINT",
        ["Labels"] = "LABELS", ["Links"] = "LINKS", ["Size"] = "SIZE",
    });

    private static readonly string[] Fields = ["Driver", "Labels", "Links", "Mountpoint", "Name", "Scope", "Size"];

    public IEnumerable<string> FieldNames => Fields;

    public string TypeName => "*formatter.volumeContext";

    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "Name" => volume.Name,
            "Driver" => volume.Driver,
            "Scope" => volume.Scope,
            "Mountpoint" => volume.Mountpoint,
            "Labels" => string.Join(',', volume.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
            "Links" => volume.UsageData is { RefCount: >= 0 } u ? u.RefCount.ToString(global::System.Globalization.CultureInfo.InvariantCulture) : "N/A",
            "Size" => volume.UsageData is { Size: >= 0 } s ? Text.Size(s.Size) : "N/A",
            _ => null,
        };
        return value is not null;
    }
}
