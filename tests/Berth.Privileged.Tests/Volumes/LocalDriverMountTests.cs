using Berth.Linux;
using Berth.Privileged.Tests.Security;
using Berth.Testing;
using Berth.Volumes;

namespace Berth.Privileged.Tests.Volumes;

/// <summary>
/// The local driver's device mounts for real (tmpfs and bind), each test on a thread with a mount namespace of its own:
/// whatever a test leaves mounted goes with the thread, and the host never sees it.
/// </summary>
public sealed class LocalDriverMountTests : IDisposable
{
    private const string ThreadMountInfo = "/proc/thread-self/mountinfo";
    private readonly string _root = Directory.CreateTempSubdirectory("berth-voldrv-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static void InOwnMountNamespace(Action body) => DedicatedThread.Run(() =>
    {
        Namespaces.Unshare(CloneFlags.Fs | CloneFlags.NewNs);
        Mounts.SetPropagation("/", MountFlags.Private | MountFlags.Rec);
        body();
        return 0;
    });

    private static string? MountLine(string path) =>
        File.ReadLines(ThreadMountInfo).FirstOrDefault(l => l.Split(' ')[4] == path);

    [PrivilegedFact]
    public void A_tmpfs_volume_is_mounted_by_its_first_user_and_unmounted_after_its_last()
    {
        Privileges.RequireRoot();
        InOwnMountNamespace(() =>
        {
            var driver = new LocalDriver(_root, ThreadMountInfo);
            var options = new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=1m,nosuid" };
            var path = driver.Create("scratch", options);
            Assert.Null(MountLine(path));

            driver.Mount("scratch", options, "c1");
            var line = MountLine(path);
            Assert.NotNull(line);
            Assert.Contains(" - tmpfs tmpfs ", line);
            Assert.Contains("size=1024k", line);
            Assert.Contains("nosuid", line);
            driver.Mount("scratch", options, "c2");
            driver.Unmount("scratch", options, "c1");
            Assert.NotNull(MountLine(path));
            driver.Unmount("scratch", options, "c2");
            Assert.Null(MountLine(path));
            driver.Remove("scratch");
        });
    }

    [PrivilegedFact]
    public void A_bind_volume_shows_its_device_read_only_when_asked_and_removing_it_keeps_the_devices_files()
    {
        Privileges.RequireRoot();
        var device = Directory.CreateDirectory(Path.Combine(_root, "device")).FullName;
        File.WriteAllText(Path.Combine(device, "kept"), "yes");
        InOwnMountNamespace(() =>
        {
            var driver = new LocalDriver(Path.Combine(_root, "volumes"), ThreadMountInfo);
            var options = new Dictionary<string, string> { ["type"] = "none", ["device"] = device, ["o"] = "bind,ro" };
            var path = driver.Create("shared", options);
            driver.Mount("shared", options, "c1");
            Assert.Equal("yes", File.ReadAllText(Path.Combine(path, "kept")));
            var error = Assert.Throws<IOException>(() => File.WriteAllText(Path.Combine(path, "new"), "no"));
            Assert.Contains("Read-only file system", error.Message);

            // A daemon that died with the volume mounted: a new driver, no users; removal unmounts before deleting.
            var restarted = new LocalDriver(Path.Combine(_root, "volumes"), ThreadMountInfo);
            restarted.Remove("shared");
            Assert.Null(MountLine(path));
        });
        Assert.True(File.Exists(Path.Combine(device, "kept")));
    }

    [PrivilegedFact]
    public void Restore_keeps_the_mounts_of_running_users_and_unmounts_orphans()
    {
        Privileges.RequireRoot();
        InOwnMountNamespace(() =>
        {
            var options = new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs" };
            var before = new LocalDriver(_root, ThreadMountInfo);
            var used = before.Create("used", options);
            var orphan = before.Create("orphan", options);
            before.Mount("used", options, "running");
            before.Mount("orphan", options, "dead");

            var after = new LocalDriver(_root, ThreadMountInfo);
            after.Restore("used", options, ["running"]);
            after.Restore("orphan", options, []);
            Assert.NotNull(MountLine(used));
            Assert.Null(MountLine(orphan));
            after.Unmount("used", options, "running");
            Assert.Null(MountLine(used));
        });
    }
}
