namespace Berth.Snapshots;

/// <summary>The closed set of ways a snapshotter call can be refused.</summary>
public enum SnapshotErrorKind
{
    /// <summary>No snapshot has that key or name.</summary>
    NotFound,
    /// <summary>The key or name is already taken.</summary>
    AlreadyExists,
    /// <summary>The snapshot is in the wrong state for the call: committing a committed one, removing a parent, a parent that is not committed.</summary>
    FailedPrecondition,
    /// <summary>A layer or argument that cannot be accepted: a path escaping its root, a malformed tar.</summary>
    InvalidArgument,
}

public sealed class SnapshotException(SnapshotErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public SnapshotErrorKind Kind { get; } = kind;

    internal static SnapshotException NotFound(string key) => new(SnapshotErrorKind.NotFound, $"snapshot {key}: not found");

    internal static SnapshotException AlreadyExists(string key) => new(SnapshotErrorKind.AlreadyExists, $"snapshot {key}: already exists");

    internal static SnapshotException FailedPrecondition(string message) => new(SnapshotErrorKind.FailedPrecondition, message);

    internal static SnapshotException InvalidArgument(string message) => new(SnapshotErrorKind.InvalidArgument, message);
}
