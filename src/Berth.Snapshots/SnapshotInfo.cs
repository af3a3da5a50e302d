namespace Berth.Snapshots;

public enum SnapshotKind
{
    /// <summary>A read-only active snapshot, made by View.</summary>
    View,
    /// <summary>A writable snapshot, made by Prepare; the only kind that can be committed.</summary>
    Active,
    /// <summary>An immutable snapshot, made by Commit; the only kind that can be a parent.</summary>
    Committed,
}

/// <summary>What a snapshotter knows of one snapshot. <see cref="Name"/> is the key of an active snapshot or the name of a committed one.</summary>
public sealed record SnapshotInfo(string Name, string? Parent, SnapshotKind Kind, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>Disk usage of one snapshot's own files (not its parents').</summary>
public sealed record SnapshotUsage(long Size, long Inodes);

/// <summary>One mount(2) the runtime performs to see a snapshot: <c>mount -t Type -o Options Source target</c>.</summary>
public sealed record SnapshotMount(string Type, string Source, IReadOnlyList<string> Options)
{
    /// <summary>Equal when type, source and every option (in order) are: two calls for the same snapshot compare equal.</summary>
    public bool Equals(SnapshotMount? other) =>
        other is not null && Type == other.Type && Source == other.Source && Options.SequenceEqual(other.Options);

    public override int GetHashCode() => HashCode.Combine(Type, Source, Options.Count);

    public override string ToString() => $"{Type} {Source} -o {string.Join(',', Options)}";
}
