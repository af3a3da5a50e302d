using Berth.Engine.Containers;
using Berth.Engine.Containers.Model;
using Berth.Engine.Events;
using Berth.Engine.Store;
using Berth.Engine.Tests.Fakes;
using Berth.Engine.Volumes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Engine.Tests.Volumes;

/// <summary>Volumes through the engine, and containers that use them, over the in-memory task runtime.</summary>
public sealed class VolumeServiceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-volsvc-").FullName;
    private readonly EventService _events = new();
    private readonly InMemoryTaskRuntime _tasks = new();
    private readonly VolumeService _volumes;
    private readonly ContainerService _containers;

    public VolumeServiceTests()
    {
        var database = new EngineDatabase(Path.Combine(_root, "berth.db"));
        var options = new EngineOptions { DataRoot = _root, InitPath = "/nonexistent" };
        _volumes = new VolumeService(database, _events, options);
        _containers = new ContainerService(database, new FakeContainerImages(), _tasks, Services.Network(_root, new FakeNetworkHost(), _events), _events,
            options, NullLogger<ContainerService>.Instance, _volumes);
    }

    public void Dispose()
    {
        _containers.DrainRemovalsAsync().Wait();
        Directory.Delete(_root, recursive: true);
    }

    private static readonly Dictionary<string, IReadOnlyList<string>> NoFilters = [];

    private async Task<string> CreateAsync(HostConfig host, ContainerConfig? config = null) =>
        (await _containers.CreateAsync(null, config ?? new ContainerConfig { Image = "busybox" }, host with { NetworkMode = "host" })).Id;

    [Fact]
    public void Create_returns_an_existing_volume_and_get_says_mobys_not_found()
    {
        var first = _volumes.Create("data", null, null, new Dictionary<string, string> { ["a"] = "1" });
        Assert.Same(first, _volumes.Create("data", "local", null, null));
        Assert.Equal(Path.Combine(_root, "volumes", "data", "_data"), first.Mountpoint);
        Assert.Equal("get nope: no such volume", Assert.Throws<EngineException>(() => _volumes.Get("nope")).Message);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<EngineException>(() => _volumes.Create("x1", "flocker", null, null)).Kind);
        var invalid = Assert.Throws<EngineException>(() => _volumes.Create("a/b", null, null, null));
        Assert.Equal(ErrorKind.InvalidArgument, invalid.Kind);
        Assert.StartsWith("create a/b: \"a/b\" includes invalid characters", invalid.Message);
    }

    [Fact]
    public void Volumes_survive_a_restart_of_the_service()
    {
        _volumes.Create("kept", null, new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs" }, null);
        var again = new VolumeService(new EngineDatabase(Path.Combine(_root, "berth.db")), _events, new EngineOptions { DataRoot = _root });
        Assert.Equal("tmpfs", again.Get("kept").Options["type"]);
    }

    [Fact]
    public void List_filters_by_name_label_driver_and_dangling()
    {
        _volumes.Create("alpha", null, null, new Dictionary<string, string> { ["tier"] = "db" });
        _volumes.Create("beta", null, null, null);
        _volumes.AddReference("beta", "c1");
        string[] Names(Dictionary<string, IReadOnlyList<string>> f) => [.. _volumes.List(f).Select(v => v.Name)];

        Assert.Equal(["alpha", "beta"], Names(NoFilters));
        Assert.Equal(["alpha"], Names(new() { ["name"] = ["lph"] }));
        Assert.Equal(["alpha"], Names(new() { ["label"] = ["tier=db"] }));
        Assert.Equal(["beta"], Names(new() { ["label!"] = ["tier"] }));
        Assert.Equal(["alpha"], Names(new() { ["dangling"] = ["true"] }));
        Assert.Equal(["beta"], Names(new() { ["dangling"] = ["false"] }));
        Assert.Empty(Names(new() { ["driver"] = ["other"] }));
        Assert.Equal("invalid filter 'until'", Assert.Throws<EngineException>(() => _volumes.List(new Dictionary<string, IReadOnlyList<string>> { ["until"] = ["1h"] })).Message);
    }

    [Fact]
    public void Remove_is_refused_while_in_use_and_force_forgives_a_missing_volume()
    {
        _volumes.Create("used", null, null, null, reference: "c2");
        _volumes.AddReference("used", "c1");
        var error = Assert.Throws<EngineException>(() => _volumes.Remove("used", force: true));
        Assert.Equal((ErrorKind.Conflict, "remove used: volume is in use - [c1, c2]"), (error.Kind, error.Message));
        _volumes.RemoveReference("used", "c1");
        _volumes.RemoveReference("used", "c2");
        _volumes.Remove("used", force: false);
        _volumes.Remove("used", force: true);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<EngineException>(() => _volumes.Remove("used", force: false)).Kind);
    }

    [Fact]
    public void Prune_takes_unused_anonymous_volumes_and_with_all_the_named_ones()
    {
        var anonymous = _volumes.Create(null, null, null, null);
        Assert.Matches("^[0-9a-f]{64}$", anonymous.Name);
        Assert.True(anonymous.IsAnonymous);
        _volumes.Create("named", null, null, new Dictionary<string, string> { ["keep"] = "yes" });
        _volumes.Create("device", null, new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs" }, null);
        _volumes.Create(null, null, null, null, reference: "c1");
        File.WriteAllText(Path.Combine(anonymous.Mountpoint, "f"), "123");

        var (deleted, reclaimed) = _volumes.Prune(NoFilters);
        Assert.Equal([anonymous.Name], deleted);
        Assert.Equal(3, reclaimed);
        Assert.Empty(_volumes.Prune(new Dictionary<string, IReadOnlyList<string>> { ["all"] = ["true"], ["label!"] = ["keep=yes"] }).Deleted);
        Assert.Equal(["named"], _volumes.Prune(new Dictionary<string, IReadOnlyList<string>> { ["all"] = ["1"] }).Deleted);
        Assert.Equal(["device"], _volumes.List(NoFilters).Where(v => !v.IsAnonymous).Select(v => v.Name));
    }

    [Fact]
    public async Task A_container_creates_and_references_its_volumes_and_rm_v_removes_the_anonymous_ones()
    {
        var id = await CreateAsync(new HostConfig { Binds = ["named1:/data", "/host:/h:ro"] }, new ContainerConfig { Image = "busybox", Volumes = ["/anon"] });
        var mounts = _containers.Get(id).Mounts;
        Assert.Equal(["/data", "/h", "/anon"], mounts.Select(m => m.Destination));
        var anonymous = mounts.Single(m => m.Destination == "/anon").Name;
        Assert.Equal([id], _volumes.References("named1"));
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<EngineException>(() => _volumes.Remove(anonymous, false)).Kind);

        await _containers.RemoveAsync(id, force: false, removeVolumes: true);
        Assert.False(_volumes.Exists(anonymous));
        Assert.True(_volumes.Exists("named1"));
        Assert.Empty(_volumes.References("named1"));
    }

    [Fact]
    public async Task A_bad_mount_leaves_no_volume_and_no_container()
    {
        var host = new HostConfig
        {
            Binds = ["fresh1:/v"],
            Mounts = [new MountSpec { Type = "bind", Source = "/nonexistent-berth", Target = "/x" }],
        };
        var error = await Assert.ThrowsAsync<EngineException>(() => CreateAsync(host));
        Assert.Equal("invalid mount config for type \"bind\": bind source path does not exist: /nonexistent-berth", error.Message);
        Assert.Empty(_volumes.List(NoFilters));
        Assert.Empty(_containers.All);
        var duplicate = await Assert.ThrowsAsync<EngineException>(() => CreateAsync(new HostConfig { Binds = ["/a:/d", "b1:/d/"] }));
        Assert.Equal("Duplicate mount point: /d", duplicate.Message);
    }

    [Fact]
    public async Task A_start_fills_an_empty_volume_from_the_image_once_and_the_exit_unmounts_it()
    {
        var id = await CreateAsync(new HostConfig { Binds = ["filled:/seed", "empty1:/seed2:nocopy"] });
        var seed = Path.Combine(_containers.Layout.Rootfs(id), "seed");
        Directory.CreateDirectory(seed);
        File.WriteAllText(Path.Combine(seed, "file"), "from the image");
        Directory.CreateDirectory(Path.Combine(_containers.Layout.Rootfs(id), "seed2"));
        File.WriteAllText(Path.Combine(_containers.Layout.Rootfs(id), "seed2", "file"), "not copied");
        var events = new List<string>();

        await _containers.StartAsync(id);

        Assert.Equal("from the image", File.ReadAllText(Path.Combine(_volumes.Get("filled").Mountpoint, "file")));
        Assert.Empty(Directory.GetFiles(_volumes.Get("empty1").Mountpoint));
        Assert.All(_containers.Get(id).Mounts, m => Assert.False(m.CopyData));
        var spec = File.ReadAllText(Path.Combine(_containers.Layout.Dir(id), "config.json"));
        Assert.Contains(_volumes.Get("filled").Mountpoint, spec);

        var exited = _containers.Wait(id, WaitCondition.NextExit);
        _tasks.Tasks[id].Exit(0);
        await exited.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([id], _volumes.References("filled")); // still referenced: the container exists
        await _containers.RemoveAsync(id, force: false);
        Assert.Empty(_volumes.References("filled"));
    }
}
