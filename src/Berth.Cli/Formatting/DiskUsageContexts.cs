using Berth.Api.Models.Volumes;
using System.Globalization;
using Berth.Api.Models.System;
using Berth.Cli.Templates;

namespace Berth.Cli.Formatting;

/// <summary>
/// A volume row of <c>system df -v</c> (docker's <c>volumeContext</c>): <c>Links</c> and <c>Size</c> come from the
/// daemon's usage data, <c>N/A</c> when it sent none.
/// </summary>
internal sealed class VolumeUsageContext(Volume volume) : ITemplateObject
{
    public const string DefaultTable = "table {{.Name}}\t{{.Links}}\t{{.Size}}";

    public static readonly HeaderContext Headers = new(new Dictionary<string, string>
    {
        ["Name"] = "VOLUME NAME", ["Driver"] = "DRIVER", ["Scope"] = "SCOPE", ["Mountpoint"] = "MOUNTPOINT",
        ["Labels"] = "LABELS", ["Links"] = "LINKS", ["Size"] = "SIZE", ["Group"] = "GROUP", ["Availability"] = "AVAILABILITY", ["Status"] = "STATUS",
    });

    public IEnumerable<string> FieldNames => ["Availability", "Driver", "Group", "Labels", "Links", "Mountpoint", "Name", "Scope", "Size", "Status"];

    public string TypeName => "*formatter.volumeContext";

    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "Name" => volume.Name,
            "Driver" => volume.Driver,
            "Scope" => volume.Scope,
            "Mountpoint" => volume.Mountpoint,
            // A daemon may send "Labels": null.
            "Labels" => string.Join(',', (volume.Labels ?? []).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
            "Links" => volume.UsageData is { } usage ? usage.RefCount.ToString(CultureInfo.InvariantCulture) : "N/A",
            "Size" => volume.UsageData is { } usage ? Berth.Api.Models.HumanUnits.Size(usage.Size) : "N/A",
            // Cluster (swarm) volumes only.
            "Group" or "Availability" or "Status" => "N/A",
            _ => null,
        };
        return value is not null;
    }
}

/// <summary>
/// A build cache row of <c>system df -v</c> (docker's <c>buildCacheContext</c>): a record in use is marked with
/// <c>*</c> after its ID; the records are listed least recently used first.
/// </summary>
internal sealed class BuildCacheContext(BuildCacheRecord record, bool truncate, TimeProvider clock) : ITemplateObject
{
    public const string DefaultTable = "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}";

    public static readonly HeaderContext Headers = new(new Dictionary<string, string>
    {
        ["ID"] = "CACHE ID", ["Parent"] = "PARENT", ["CacheType"] = "CACHE TYPE", ["Size"] = "SIZE", ["CreatedSince"] = "CREATED",
        ["LastUsedSince"] = "LAST USED", ["UsageCount"] = "USAGE", ["InUse"] = "IN USE", ["Shared"] = "SHARED", ["Description"] = "DESCRIPTION",
    });

    public IEnumerable<string> FieldNames =>
        ["CacheType", "CreatedAt", "CreatedSince", "Description", "ID", "InUse", "LastUsedAt", "LastUsedSince", "Parent", "Shared", "Size", "UsageCount"];

    public string TypeName => "*formatter.buildCacheContext";

    public bool TryGetField(string name, out object? value)
    {
        value = name switch
        {
            "ID" => (truncate ? Text.TruncateId(record.ID) : record.ID) + (record.InUse ? "*" : ""),
            "Parent" => Parent(),
            "CacheType" => record.Type,
            "Description" => record.Description,
            "Size" => Text.Size(record.Size),
            "CreatedAt" => Time(record.CreatedAt) is { } created ? Text.GoTime(created) : "",
            "CreatedSince" => Time(record.CreatedAt) is { } created ? Text.Ago(created, clock) : "",
            "LastUsedAt" => Time(record.LastUsedAt) is { } used ? Text.GoTime(used) : "",
            "LastUsedSince" => Time(record.LastUsedAt) is { } used ? Text.Ago(used, clock) : "",
            "UsageCount" => record.UsageCount.ToString(CultureInfo.InvariantCulture),
            "InUse" => record.InUse ? "true" : "false",
            "Shared" => record.Shared ? "true" : "false",
            _ => null,
        };
        return value is not null;
    }

    /// <summary>docker's order: records never used first, then by last use, ties by ID.</summary>
    public static IEnumerable<BuildCacheRecord> Sorted(IEnumerable<BuildCacheRecord> records) =>
        records.OrderBy(r => Time(r.LastUsedAt) is { } t ? t.UtcTicks : long.MinValue).ThenBy(r => r.ID, StringComparer.Ordinal);

    private string Parent()
    {
        var parent = string.Join(", ", record.Parents ?? []);
        return truncate ? Text.TruncateId(parent) : parent;
    }

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time : null;
}
