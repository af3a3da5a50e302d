namespace Berth.Volumes;

/// <summary>
/// A volume driver, as the engine's volume service uses it. A volume's life:
/// <code>
///   Create ──► (Mount(ref) … Unmount(ref))* ──► Remove
/// </code>
/// Create makes the volume's storage (idempotent) after validating its options; Mount returns the host path to
/// bind into a container and counts the reference, so that storage needing a mount (a tmpfs, a bind of another path)
/// is mounted by the first reference and unmounted after the last; Remove deletes the storage and is refused while
/// references remain. <see cref="Restore"/> runs once at daemon start, before any Mount.
/// </summary>
public interface IVolumeDriver
{
    /// <summary>The name clients give (<c>local</c>).</summary>
    string Name { get; }

    /// <summary>Validates the options and makes the storage; returns the volume's mount point on the host.</summary>
    /// <exception cref="VolumeException">the name or an option is invalid, or the storage cannot be made.</exception>
    string Create(string name, IReadOnlyDictionary<string, string> options);

    /// <summary>The host path a container binds (valid after <see cref="Create"/>).</summary>
    string MountPoint(string name);

    /// <summary>Mounts the volume's storage if this is its first reference; returns <see cref="MountPoint"/>.</summary>
    string Mount(string name, IReadOnlyDictionary<string, string> options, string reference);

    /// <summary>Drops a reference (false for one it did not hold); the last one unmounts the storage.</summary>
    bool Unmount(string name, IReadOnlyDictionary<string, string> options, string reference);

    /// <summary>Deletes the storage; refused while the volume is mounted for a reference.</summary>
    void Remove(string name);

    /// <summary>
    /// After a daemon restart: the references still using the volume (containers that kept running) are counted
    /// again; storage left mounted by a crash with no reference left is unmounted.
    /// </summary>
    void Restore(string name, IReadOnlyDictionary<string, string> options, IReadOnlyCollection<string> references);

    /// <summary>Bytes the volume's data uses (0 for storage mounted from elsewhere).</summary>
    long Size(string name, IReadOnlyDictionary<string, string> options);
}

/// <summary>A volume driver's refusal or failure; <see cref="IsInvalidArgument"/> tells a caller's mistake from a host failure.</summary>
public sealed class VolumeException(string message, bool isInvalidArgument, Exception? inner = null) : Exception(message, inner)
{
    public bool IsInvalidArgument { get; } = isInvalidArgument;
}
