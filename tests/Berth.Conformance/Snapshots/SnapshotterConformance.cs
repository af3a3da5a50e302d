using System.Formats.Tar;
using System.Text;
using Berth.Linux;
using Berth.Snapshots;
using Berth.Testing;

namespace Berth.Conformance.Snapshots;

/// <summary>
/// What every <see cref="ISnapshotter"/> must do; each implementation runs it through a subclass.
/// The lifecycle tests need no root; the ones that apply whiteouts or mount the result do, and unmount in finally.
/// </summary>
public abstract class SnapshotterConformance : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-snapshotter-" + Guid.NewGuid().ToString("N"));
    private Snapshotter? _snapshotter;

    protected Snapshotter Snapshotter => _snapshotter ??= Create(_root);

    protected abstract Snapshotter Create(string root);

    public void Dispose()
    {
        _snapshotter?.DrainRemovalsAsync().Wait();
        DeleteTree(_root);
        GC.SuppressFinalize(this);
    }

    private async Task<SnapshotException> Refused(SnapshotErrorKind kind, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<SnapshotException>(call);
        Assert.Equal(kind, error.Kind);
        return error;
    }

    private async Task CommittedBase(string name = "base")
    {
        await Snapshotter.PrepareAsync(name + "-active", null);
        await Snapshotter.CommitAsync(name, name + "-active");
    }

    [Fact]
    public async Task PrepareMakesAnActiveSnapshotWithItsParent()
    {
        await CommittedBase();
        await Snapshotter.PrepareAsync("work", "base");
        var info = await Snapshotter.StatAsync("work");
        Assert.Equal(("work", "base", SnapshotKind.Active), (info.Name, info.Parent, info.Kind));
    }

    [Fact]
    public async Task AKeyCanBeUsedOnlyOnce()
    {
        await Snapshotter.PrepareAsync("k", null);
        await Refused(SnapshotErrorKind.AlreadyExists, () => Snapshotter.PrepareAsync("k", null));
        await Refused(SnapshotErrorKind.AlreadyExists, () => Snapshotter.ViewAsync("k", null));
    }

    [Fact]
    public async Task AParentMustExistAndBeCommitted()
    {
        await Refused(SnapshotErrorKind.NotFound, () => Snapshotter.PrepareAsync("k", "missing"));
        await Snapshotter.PrepareAsync("active", null);
        await Refused(SnapshotErrorKind.FailedPrecondition, () => Snapshotter.PrepareAsync("k", "active"));
        Assert.Single(await Snapshotter.WalkAsync());
    }

    [Fact]
    public async Task CommitRenamesTheActiveSnapshot()
    {
        await Snapshotter.PrepareAsync("active", null);
        await Snapshotter.CommitAsync("layer", "active");
        Assert.Equal(SnapshotKind.Committed, (await Snapshotter.StatAsync("layer")).Kind);
        await Refused(SnapshotErrorKind.NotFound, () => Snapshotter.StatAsync("active"));
    }

    [Fact]
    public async Task OnlyActiveSnapshotsCanBeCommitted()
    {
        await CommittedBase();
        await Snapshotter.ViewAsync("view", "base");
        await Refused(SnapshotErrorKind.FailedPrecondition, () => Snapshotter.CommitAsync("again", "base"));
        await Refused(SnapshotErrorKind.FailedPrecondition, () => Snapshotter.CommitAsync("from-view", "view"));
        await Refused(SnapshotErrorKind.NotFound, () => Snapshotter.CommitAsync("x", "missing"));
        await Snapshotter.PrepareAsync("active", null);
        await Refused(SnapshotErrorKind.AlreadyExists, () => Snapshotter.CommitAsync("base", "active"));
    }

    [Fact]
    public async Task AParentCannotBeRemovedBeforeItsChildren()
    {
        await CommittedBase();
        await Snapshotter.PrepareAsync("child", "base");
        await Refused(SnapshotErrorKind.FailedPrecondition, () => Snapshotter.RemoveAsync("base"));
        await Snapshotter.RemoveAsync("child");
        await Snapshotter.RemoveAsync("base");
        Assert.Empty(await Snapshotter.WalkAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, "snapshots")));
        await Refused(SnapshotErrorKind.NotFound, () => Snapshotter.RemoveAsync("base"));
    }

    [Fact]
    public async Task WalkListsEverySnapshot()
    {
        await CommittedBase();
        await Snapshotter.PrepareAsync("active", "base");
        await Snapshotter.ViewAsync("view", "base");
        var all = (await Snapshotter.WalkAsync()).Select(i => (i.Name, i.Kind)).Order().ToList();
        Assert.Equal([("active", SnapshotKind.Active), ("base", SnapshotKind.Committed), ("view", SnapshotKind.View)], all);
    }

    [Fact]
    public async Task ViewsMountReadOnlyAndActiveSnapshotsReadWrite()
    {
        await CommittedBase();
        var active = await Snapshotter.PrepareAsync("active", "base");
        var view = await Snapshotter.ViewAsync("view", "base");
        Assert.DoesNotContain("ro", active.SelectMany(m => m.Options));
        Assert.Contains("ro", view.SelectMany(m => m.Options));
        Assert.Equal(active, await Snapshotter.MountsAsync("active"));
        await Refused(SnapshotErrorKind.FailedPrecondition, () => Snapshotter.MountsAsync("base"));
    }

    [Fact]
    public async Task SnapshotsSurviveARestart()
    {
        await CommittedBase();
        await Snapshotter.PrepareAsync("active", "base");
        var reopened = Create(_root);
        Assert.Equal(SnapshotKind.Committed, (await reopened.StatAsync("base")).Kind);
        Assert.Equal("base", (await reopened.StatAsync("active")).Parent);
        Assert.Equal(await Snapshotter.MountsAsync("active"), await reopened.MountsAsync("active"));
    }

    [Fact]
    public async Task FilesWithoutARecordAreRemovedOnRestart()
    {
        await Snapshotter.PrepareAsync("kept", null);
        var stray = Directory.CreateDirectory(Path.Combine(_root, "snapshots", "crashed-prepare", "fs")).FullName;
        File.WriteAllText(Path.Combine(stray, "half"), "x");
        var reopened = Create(_root);
        Assert.Single(await reopened.WalkAsync());
        Assert.False(Directory.Exists(Path.GetDirectoryName(stray)));
        Assert.Single(Directory.EnumerateDirectories(Path.Combine(_root, "snapshots")));
    }

    [Fact]
    public async Task LayersApplyOnlyToActiveSnapshots()
    {
        await CommittedBase();
        await Refused(SnapshotErrorKind.FailedPrecondition, () => Snapshotter.ApplyLayerAsync("base", Layer(("a", "1"))));
    }

    [Fact]
    public async Task UsageCountsTheSnapshotsOwnFiles()
    {
        await Snapshotter.PrepareAsync("active", null);
        await Snapshotter.ApplyLayerAsync("active", Layer(("a", "12345"), ("b", "67")));
        var usage = await Snapshotter.UsageAsync("active");
        Assert.Equal((7L, 2L), (usage.Size, usage.Inodes));
    }

    [PrivilegedFact]
    public async Task ADiffHoldsWhatTheChildChanged()
    {
        await Snapshotter.PrepareAsync("base-active", null);
        await Snapshotter.ApplyLayerAsync("base-active", Layer(("a", "1"), ("b", "1"), ("same", "1")));
        await Snapshotter.CommitAsync("base", "base-active");
        await Snapshotter.PrepareAsync("child", "base");
        await Snapshotter.ApplyLayerAsync("child", Layer(("a", "22"), (".wh.b", ""), ("c", "3")));

        using var diff = new MemoryStream();
        await Snapshotter.WriteDiffAsync("child", diff);

        diff.Position = 0;
        using var reader = new TarReader(diff);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        Assert.Equal([".wh.b", "a", "c"], names.Order(StringComparer.Ordinal));
    }

    [PrivilegedFact]
    public async Task AMountedChildShowsItsLayersOverItsParents()
    {
        await Snapshotter.PrepareAsync("base-active", null);
        await Snapshotter.ApplyLayerAsync("base-active", Layer(("a", "1"), ("b", "1"), ("d/x", "1")));
        await Snapshotter.CommitAsync("base", "base-active");
        await Snapshotter.PrepareAsync("top-active", "base");
        await Snapshotter.ApplyLayerAsync("top-active", Layer(("a", "2"), (".wh.b", ""), ("c", "3"), ("d/.wh..wh..opq", ""), ("d/y", "4")));
        await Snapshotter.CommitAsync("top", "top-active");
        await Snapshotter.PrepareAsync("container", "top");
        await Snapshotter.ViewAsync("view", "top");

        var expected = new[] { "a=2", "c=3", "d/y=4" };
        await WithMounted("container", dir =>
        {
            Assert.Equal(expected, Listing(dir));
            File.WriteAllText(Path.Combine(dir, "written"), "5");
        });
        await WithMounted("view", dir =>
        {
            Assert.Equal(expected, Listing(dir));
            var error = Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(dir, "written"), "5"));
            Assert.Contains("read-only", error.Message, StringComparison.OrdinalIgnoreCase);
        });
        await WithMounted("container", dir => Assert.Equal("5", File.ReadAllText(Path.Combine(dir, "written"))));
    }

    /// <summary>Performs a snapshot's mounts on a temp dir as the runtime would, runs <paramref name="check"/>, and always unmounts.</summary>
    private async Task WithMounted(string key, Action<string> check)
    {
        Privileges.RequireRoot();
        var mounts = await Snapshotter.MountsAsync(key);
        var target = Directory.CreateDirectory(Path.Combine(_root, "mnt-" + key)).FullName;
        var mounted = false;
        try
        {
            foreach (var mount in mounts)
            {
                if (mount.Type == "bind")
                {
                    Mounts.Mount(mount.Source, target, null, MountFlags.Bind | MountFlags.Rec, null);
                    mounted = true;
                    if (mount.Options.Contains("ro")) Mounts.Mount(null, target, null, MountFlags.Bind | MountFlags.Remount | MountFlags.ReadOnly, null);
                }
                else
                {
                    Mounts.Mount(mount.Source, target, mount.Type, MountFlags.None, string.Join(',', mount.Options));
                    mounted = true;
                }
            }
            check(target);
        }
        finally
        {
            if (mounted) Mounts.DetachUnmount(target);
            Directory.Delete(target);
        }
    }

    private static string[] Listing(string dir) =>
        [.. Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(dir, f)}={File.ReadAllText(f)}").Order(StringComparer.Ordinal)];

    private static MemoryStream Layer(params (string Name, string Content)[] files)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = (UnixFileMode)0x1A4,
                    ModificationTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero),
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                });
            }
        }
        stream.Position = 0;
        return stream;
    }

    private static void DeleteTree(string path)
    {
        if (FileStatus.TryGet(path) is not { } status) return;
        if (status.Kind != FileKind.Directory)
        {
            File.Delete(path);
            return;
        }
        File.SetUnixFileMode(path, (UnixFileMode)0x1FF);
        foreach (var child in Directory.EnumerateFileSystemEntries(path)) DeleteTree(child);
        Directory.Delete(path);
    }
}

public sealed class OverlaySnapshotterConformance : SnapshotterConformance
{
    protected override Snapshotter Create(string root) => new OverlaySnapshotter(root);
}

public sealed class NativeSnapshotterConformance : SnapshotterConformance
{
    protected override Snapshotter Create(string root) => new NativeSnapshotter(root);
}
