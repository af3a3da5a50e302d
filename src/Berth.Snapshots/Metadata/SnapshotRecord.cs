using System.Text.Json.Serialization;

namespace Berth.Snapshots.Metadata;

/// <summary>One snapshot as persisted: <see cref="Id"/> names its directory and never changes; Commit changes Name and Kind.</summary>
public sealed record SnapshotRecord(string Id, string Name, string? Parent, SnapshotKind Kind, DateTimeOffset Created, DateTimeOffset Updated)
{
    public SnapshotInfo ToInfo() => new(Name, Parent, Kind, Created, Updated);
}

[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SnapshotRecord))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
