using Berth.Linux;

namespace Berth.Volumes;

/// <summary>
/// Docker's <c>local</c> driver. Each volume is a directory; one created with a <c>type</c>/<c>device</c> is a mount
/// of that device on its <c>_data</c> while at least one container uses it:
/// <code>
/// &lt;data-root&gt;/volumes/
///   &lt;name&gt;/
///     _data/        what containers bind (or the mount point of the volume's device)
/// </code>
/// </summary>
public sealed class LocalDriver(string root, string mountInfo = MountTable.SelfMountInfo) : IVolumeDriver
{
    public const string DriverName = "local";

    private readonly Dictionary<string, HashSet<string>> _references = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string Name => DriverName;

    public string Root { get; } = root;

    private string Dir(string name) => Path.Combine(Root, name);

    public string MountPoint(string name) => Path.Combine(Dir(name), "_data");

    public string Create(string name, IReadOnlyDictionary<string, string> options)
    {
        VolumeNames.Validate(name);
        LocalOptions.Parse(options);
        var path = MountPoint(name);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VolumeException($"error while creating volume data path '{path}': {e.Message}", false, e);
        }
        return path;
    }

    public string Mount(string name, IReadOnlyDictionary<string, string> options, string reference)
    {
        var local = LocalOptions.Parse(options);
        var path = MountPoint(name);
        lock (_lock)
        {
            var references = _references.TryGetValue(name, out var r) ? r : _references[name] = new HashSet<string>(StringComparer.Ordinal);
            if (local.NeedsMount && references.Count == 0 && !MountTable.IsMountPoint(path, mountInfo))
                MountDevice(local, path);
            references.Add(reference);
        }
        return path;
    }

    public bool Unmount(string name, IReadOnlyDictionary<string, string> options, string reference)
    {
        var local = LocalOptions.Parse(options);
        lock (_lock)
        {
            if (!_references.TryGetValue(name, out var references) || !references.Remove(reference)) return false;
            if (references.Count > 0) return true;
            _references.Remove(name);
            if (local.NeedsMount) UnmountDevice(MountPoint(name));
            return true;
        }
    }

    public void Restore(string name, IReadOnlyDictionary<string, string> options, IReadOnlyCollection<string> references)
    {
        var local = LocalOptions.Parse(options);
        var path = MountPoint(name);
        lock (_lock)
        {
            if (references.Count > 0)
            {
                _references[name] = new HashSet<string>(references, StringComparer.Ordinal);
                return;
            }
            _references.Remove(name);
            if (local.NeedsMount && Directory.Exists(path) && MountTable.IsMountPoint(path, mountInfo)) UnmountDevice(path);
        }
    }

    public void Remove(string name)
    {
        lock (_lock)
        {
            if (_references.TryGetValue(name, out var references) && references.Count > 0)
                throw new VolumeException("volume has active mounts", false);
            var dir = Dir(name);
            if (!Directory.Exists(dir)) return;
            // A device left mounted (by a crash) must not have its contents deleted through the mount point.
            if (MountTable.IsMountPoint(MountPoint(name), mountInfo)) UnmountDevice(MountPoint(name));
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new VolumeException($"error removing volume path '{dir}': {e.Message}", false, e);
            }
        }
    }

    public long Size(string name, IReadOnlyDictionary<string, string> options) =>
        LocalOptions.Parse(options).NeedsMount ? 0 : DirectorySize.Of(MountPoint(name));

    /// <summary>Whether a reference holds the volume now (tests and reconciliation read it).</summary>
    public bool IsActive(string name)
    {
        lock (_lock) return _references.ContainsKey(name);
    }

    private static void MountDevice(LocalOptions local, string path)
    {
        var (flags, propagation, data) = local.SplitMountOptions();
        const MountFlags bindFlags = MountFlags.Bind | MountFlags.Rec;
        try
        {
            if (flags.HasFlag(MountFlags.Bind))
            {
                Mounts.Mount(local.Device, path, null, flags & bindFlags, null, $"{local.Device} on {path}");
                // A bind ignores MS_RDONLY and the other flags on the first call: they take a remount.
                if ((flags & ~bindFlags) != MountFlags.None)
                    Mounts.Mount(null, path, null, MountFlags.Bind | MountFlags.Remount | (flags & ~bindFlags), null, path);
            }
            else
            {
                Mounts.Mount(local.Device, path, local.Type, flags, data.Length == 0 ? null : data, $"{local.Device} on {path}");
            }
            if (propagation != MountFlags.None) Mounts.SetPropagation(path, propagation);
        }
        catch (LinuxException e)
        {
            throw new VolumeException($"failed to mount local volume: {e.Message}", false, e);
        }
    }

    private static void UnmountDevice(string path)
    {
        const int EINVAL = 22, ENOENT = 2;
        try
        {
            Mounts.DetachUnmount(path);
        }
        catch (LinuxException e) when (e.Errno is EINVAL or ENOENT)
        {
        }
        catch (LinuxException e)
        {
            throw new VolumeException($"error unmounting volume at {path}: {e.Message}", false, e);
        }
    }
}
