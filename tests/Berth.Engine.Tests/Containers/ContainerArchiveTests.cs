using System.Formats.Tar;
using Berth.Engine.Containers;
using Berth.Engine.Containers.Model;
using Berth.Engine.Tests.Fakes;
using Berth.Snapshots.Layers;

namespace Berth.Engine.Tests.Containers;

/// <summary>
/// cp, export and diff over the fakes: the "mounted" rootfs is a plain directory the test fills, so every path rule
/// (links, <c>..</c>, mounts, trailing <c>/.</c>) is checked on real files without root.
/// </summary>
public sealed class ContainerArchiveTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-archive-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("berth-outside-").FullName;
    private readonly FakeContainerImages _images = new();
    private readonly InMemoryTaskRuntime _tasks = new();
    private readonly ContainerService _service;

    public ContainerArchiveTests() => _service = Services.Container(_root, _images, _tasks, new FakeNetworkHost());

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    private async Task<string> CreateAsync(HostConfig? hostConfig = null, string? user = null)
    {
        var id = (await _service.CreateAsync(null, new ContainerConfig { Image = "busybox", User = user }, hostConfig ?? new HostConfig { NetworkMode = "host" })).Id;
        var rootfs = _service.Layout.Rootfs(id);
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        File.WriteAllText(Path.Combine(rootfs, "etc/hostname"), "inside\n");
        File.WriteAllText(Path.Combine(rootfs, "etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
        Directory.CreateDirectory(Path.Combine(rootfs, "dir/sub"));
        File.WriteAllText(Path.Combine(rootfs, "dir/a"), "a");
        File.CreateSymbolicLink(Path.Combine(rootfs, "escape"), "/");
        File.CreateSymbolicLink(Path.Combine(rootfs, "up"), "../../../../../../..");
        File.CreateSymbolicLink(Path.Combine(rootfs, "out"), _outside);
        File.CreateSymbolicLink(Path.Combine(rootfs, "dirlink"), "dir");
        File.WriteAllText(Path.Combine(_outside, "secret"), "host secret");
        return id;
    }

    private bool Mounted(string id) => _images.Mounted.GetValueOrDefault(_service.Layout.Rootfs(id));

    private static async Task<List<(string Name, string Content)>> TarOf(Berth.Engine.Containers.Archive.PathArchive archive)
    {
        using var buffer = new MemoryStream();
        await archive.WriteAsync(buffer);
        buffer.Position = 0;
        var entries = new List<(string, string)>();
        await using var reader = new TarReader(buffer);
        while (await reader.GetNextEntryAsync() is { } entry)
            entries.Add((entry.Name, entry.DataStream is null ? "" : new StreamReader(entry.DataStream).ReadToEnd()));
        return entries;
    }

    [Fact]
    public async Task Stat_describes_the_entry_itself_with_go_mode_bits_and_a_links_final_target()
    {
        var id = await CreateAsync();

        var file = await _service.StatPathAsync(id, "/etc/hostname");
        Assert.Equal(("hostname", 7L, false), (file.Name, file.Size, file.IsDirectory));
        var dir = await _service.StatPathAsync(id, "dir");
        Assert.Equal((1u << 31) | 0x1ED, dir.Mode & ((1u << 31) | 0x1FF));
        var link = await _service.StatPathAsync(id, "/dirlink");
        Assert.True(link.IsSymlink);
        Assert.Equal("/dir", link.LinkTarget);
        Assert.True((await _service.StatPathAsync(id, "/dirlink/")).IsDirectory);

        var missing = await Assert.ThrowsAsync<EngineException>(() => _service.StatPathAsync(id, "/nope"));
        Assert.Equal((ErrorKind.NotFound, $"Could not find the file /nope in container {id}"), (missing.Kind, missing.Message));
        Assert.False(Mounted(id));
    }

    [Fact]
    public async Task Links_to_the_hosts_root_resolve_inside_the_container()
    {
        var id = await CreateAsync();

        await using (var escape = await _service.ArchivePathAsync(id, "/escape/etc/hostname"))
            Assert.Equal([("hostname", "inside\n")], await TarOf(escape));
        await using (var up = await _service.ArchivePathAsync(id, "/up/etc/hostname"))
            Assert.Equal([("hostname", "inside\n")], await TarOf(up));
        await Assert.ThrowsAsync<EngineException>(() => _service.ArchivePathAsync(id, "/out/secret"));
        Assert.Equal("/", (await _service.StatPathAsync(id, "/escape")).LinkTarget);
        Assert.False(Mounted(id));
    }

    [Fact]
    public async Task A_directory_is_archived_by_its_name_and_with_a_trailing_dot_by_its_contents()
    {
        var id = await CreateAsync();

        await using (var whole = await _service.ArchivePathAsync(id, "/dir"))
            Assert.Equal(["dir/", "dir/a", "dir/sub/"], (await TarOf(whole)).Select(e => e.Name));
        await using (var contents = await _service.ArchivePathAsync(id, "/dir/."))
            Assert.Equal(["./", "./a", "./sub/"], (await TarOf(contents)).Select(e => e.Name));
        await using (var link = await _service.ArchivePathAsync(id, "/dirlink"))
            Assert.Equal([("dirlink", "")], await TarOf(link));
    }

    [Fact]
    public async Task Extraction_writes_into_a_created_container_and_follows_links_only_inside_it()
    {
        var id = await CreateAsync();
        var rootfs = _service.Layout.Rootfs(id);

        await _service.ExtractToDirAsync(id, "/dirlink", Tar(("new", "n")), copyUidGid: false, noOverwriteDirNonDir: true);
        Assert.Equal("n", File.ReadAllText(Path.Combine(rootfs, "dir/new")));
        Directory.CreateDirectory(Path.Combine(rootfs, _outside.TrimStart('/')));
        await _service.ExtractToDirAsync(id, "/out", Tar(("planted", "p")), copyUidGid: false, noOverwriteDirNonDir: true);
        Assert.False(File.Exists(Path.Combine(_outside, "planted")));
        Assert.True(File.Exists(Path.Combine(rootfs, _outside.TrimStart('/'), "planted")));

        var notDir = await Assert.ThrowsAsync<EngineException>(() =>
            _service.ExtractToDirAsync(id, "/etc/hostname", Tar(("x", "x")), false, true));
        Assert.Equal((ErrorKind.InvalidArgument, "extraction point is not a directory"), (notDir.Kind, notDir.Message));
        var escape = await Assert.ThrowsAsync<EngineException>(() => _service.ExtractToDirAsync(id, "/dir", Tar(("../../x", "x")), false, true));
        Assert.Equal(ErrorKind.InvalidArgument, escape.Kind);
        Assert.False(Mounted(id));
    }

    [Fact]
    public async Task A_read_only_rootfs_refuses_while_its_writable_volume_takes_the_files()
    {
        var volume = Directory.CreateTempSubdirectory("berth-bind-").FullName;
        try
        {
            var id = await CreateAsync(new HostConfig { NetworkMode = "host", ReadonlyRootfs = true, Binds = [$"{volume}:/data"] });

            var refused = await Assert.ThrowsAsync<EngineException>(() => _service.ExtractToDirAsync(id, "/dir", Tar(("x", "x")), false, true));
            Assert.Equal("container rootfs is marked read-only", refused.Message);
            await _service.ExtractToDirAsync(id, "/data", Tar(("in-volume", "v")), false, true);
            Assert.Equal("v", File.ReadAllText(Path.Combine(volume, "in-volume")));
            await using var back = await _service.ArchivePathAsync(id, "/data/in-volume");
            Assert.Equal([("in-volume", "v")], await TarOf(back));
        }
        finally
        {
            Directory.Delete(volume, recursive: true);
        }
    }

    [Fact]
    public async Task A_running_container_is_read_where_it_runs_without_another_mount()
    {
        var id = await CreateAsync();
        await _service.StartAsync(id);
        Assert.True(Mounted(id));

        await using (var archive = await _service.ArchivePathAsync(id, "/dir/a"))
            Assert.Equal([("a", "a")], await TarOf(archive));
        Assert.True(Mounted(id));
        // /etc/hostname is the file the start binds there, not the rootfs's mount point.
        await using (var hostname = await _service.ArchivePathAsync(id, "/etc/hostname"))
            Assert.Equal([("hostname", File.ReadAllText(_service.Layout.Hostname(id)))], await TarOf(hostname));
        _tasks.Tasks[id].Exit(0);
    }

    [Fact]
    public async Task Export_is_the_rootfs_without_the_root_entry()
    {
        var id = await CreateAsync();
        await using var export = await _service.ExportAsync(id);
        var names = (await TarOf(export)).Select(e => e.Name).ToList();
        Assert.Contains("etc/hostname", names);
        Assert.Contains("dir/sub/", names);
        Assert.DoesNotContain(names, n => n.StartsWith('/') || n.StartsWith("./", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changes_come_from_the_writable_layer_and_a_never_started_container_has_none()
    {
        var id = await CreateAsync();
        Assert.Empty(await _service.ChangesAsync(id));
        _images.Changes[ContainerLayout.SnapshotKey(id)] = [new FileChange("/tmp", ChangeKind.Modified), new FileChange("/tmp/x", ChangeKind.Added)];
        Assert.Equal(2, (await _service.ChangesAsync(id)).Count);
    }

    [Fact]
    public async Task A_start_waits_for_a_copy_out_of_the_stopped_container_which_unmounts_first()
    {
        var id = await CreateAsync();
        var archive = await _service.ArchivePathAsync(id, "/etc");
        Assert.True(Mounted(id));
        var start = _service.StartAsync(id);
        await Task.Delay(200);
        Assert.False(start.IsCompleted);

        Assert.Contains(("etc/hostname", "inside\n"), await TarOf(archive));
        await archive.DisposeAsync();
        await start.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ContainerStatus.Running, _service.Get(id).State.Status);
        _tasks.Tasks[id].Exit(0);
    }

    [Fact]
    public async Task A_link_loop_is_an_error_and_dot_dot_stops_at_the_root()
    {
        var id = await CreateAsync();
        var rootfs = _service.Layout.Rootfs(id);
        File.CreateSymbolicLink(Path.Combine(rootfs, "loop"), "/loop");
        File.CreateSymbolicLink(Path.Combine(rootfs, "dir/climb"), "../../../../../etc");

        var loop = await Assert.ThrowsAsync<EngineException>(() => _service.StatPathAsync(id, "/loop/x"));
        Assert.Equal((ErrorKind.System, "/loop/x: too many levels of symbolic links"), (loop.Kind, loop.Message));
        Assert.False(Mounted(id));
        Assert.Equal("hostname", (await _service.StatPathAsync(id, "/../../etc/hostname")).Name);
        await using var climbed = await _service.ArchivePathAsync(id, "/dir/climb/hostname");
        Assert.Equal([("hostname", "inside\n")], await TarOf(climbed));
    }

    /// <summary>CVE-2018-15664: the container swaps a directory for a link to the host while the daemon reads it.</summary>
    [Fact]
    public async Task A_directory_swapped_for_a_link_during_a_copy_never_yields_a_host_file()
    {
        var id = await CreateAsync();
        var rootfs = _service.Layout.Rootfs(id);
        await _service.StartAsync(id); // running: the copy reads the live rootfs while it changes
        Directory.CreateDirectory(Path.Combine(rootfs, "swap"));
        File.WriteAllText(Path.Combine(rootfs, "swap/secret"), "container");
        using var stop = new CancellationTokenSource();
        var swapper = Task.Run(() =>
        {
            var real = Path.Combine(rootfs, "swap");
            var aside = Path.Combine(rootfs, "swap.aside");
            while (!stop.IsCancellationRequested)
            {
                Directory.Move(real, aside);
                File.CreateSymbolicLink(real, _outside);
                File.Delete(real);
                Directory.Move(aside, real);
            }
        });
        try
        {
            for (var i = 0; i < 1500; i++)
            {
                foreach (var path in new[] { "/swap/secret", "/swap", "/" })
                {
                    try
                    {
                        await using var archive = await _service.ArchivePathAsync(id, path);
                        Assert.DoesNotContain(await TarOf(archive), e => e.Content == "host secret");
                    }
                    catch (EngineException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.System)
                    {
                        // the name was missing or replaced at that instant: refusing is fine, leaking is not
                    }
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await swapper;
            _tasks.Tasks[id].Exit(0);
        }
    }

    private static MemoryStream Tar(params (string Name, string Content)[] files)
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, content) in files)
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(global::System.Text.Encoding.UTF8.GetBytes(content)) });
        buffer.Position = 0;
        return buffer;
    }
}
