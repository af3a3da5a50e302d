using Berth.Engine.Containers;
using Berth.Engine.Containers.Model;
using Berth.Engine.Networks;
using Berth.Engine.Tests.Fakes;
using Berth.Oci.Image;

namespace Berth.Engine.Tests.Containers;

/// <summary><c>docker ps</c> filters over the in-memory fakes, with moby's semantics and error texts (daemon/list.go).</summary>
public sealed class ContainerListTests : IDisposable
{
    private const string AppImageId = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private readonly string _root = Directory.CreateTempSubdirectory("berth-list-").FullName;
    private readonly FakeContainerImages _images = new();
    private readonly InMemoryTaskRuntime _tasks = new();
    private readonly NetworkService _networks;
    private readonly ContainerService _service;

    public ContainerListTests()
    {
        _networks = Services.Network(_root, new FakeNetworkHost());
        _service = Services.Container(_root, _images, _tasks, _networks);
        var app = new ResolvedImage(AppImageId, new ImageRuntimeConfig { Cmd = ["sh"], ExposedPorts = new() { ["5000/tcp"] = new EmptyObject() } });
        _images.Others["app:v1"] = app;
        _images.Others[AppImageId] = app;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<string> CreateAsync(string name, ContainerConfig? config = null, HostConfig? host = null) =>
        (await _service.CreateAsync(name, config ?? new ContainerConfig { Image = "busybox" }, host ?? new HostConfig { NetworkMode = "host" })).Id;

    private async Task<string> RunAsync(string name, ContainerConfig? config = null, HostConfig? host = null)
    {
        var id = await CreateAsync(name, config, host);
        await _service.StartAsync(id);
        return id;
    }

    private async Task ExitAsync(string id, int code)
    {
        var exited = _service.Wait(id, WaitCondition.NotRunning);
        _tasks.Tasks[id].Exit(code);
        await exited.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<string[]> NamesAsync(bool all, params (string Key, string Value)[] filters) =>
        [.. (await _service.ListAsync(all, null, Filters(filters))).Select(c => c.Name.TrimStart('/'))];

    private static Dictionary<string, IReadOnlyList<string>> Filters((string Key, string Value)[] pairs) =>
        pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Value)]);

    private async Task<string> RefusedAsync(ErrorKind kind, params (string Key, string Value)[] filters)
    {
        var error = await Assert.ThrowsAsync<EngineException>(() => _service.ListAsync(true, null, Filters(filters)));
        Assert.Equal(kind, error.Kind);
        return error.Message;
    }

    [Theory]
    [InlineData("color", "red", "invalid filter 'color'")]
    [InlineData("status", "up", "invalid filter 'status=up': invalid value for state (up): must be one of created, running, paused, restarting, removing, exited, dead")]
    [InlineData("health", "ok", "invalid filter 'health=ok': invalid value for health (ok): must be one of none, starting, healthy, unhealthy")]
    [InlineData("exited", "x", "invalid filter 'exited=x': strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("is-task", "maybe", "invalid filter 'is-task=[maybe]'")]
    [InlineData("publish", "80:80", "filter for 'publish' should not contain ':': 80:80")]
    [InlineData("expose", "http", "error while looking up for expose http: invalid start port 'http': invalid syntax")]
    [InlineData("publish", "90-80", "error while looking up for publish 90-80: invalid port range: 90-80")]
    [InlineData("expose", "70000", "error while looking up for expose 70000: invalid start port '70000': value out of range")]
    public async Task Bad_keys_and_values_are_refused_with_mobys_message(string key, string value, string message)
    {
        Assert.Equal(message, await RefusedAsync(ErrorKind.InvalidArgument, (key, value)));
    }

    [Fact]
    public async Task Before_and_since_name_a_container_by_name_or_id_and_an_unknown_one_is_not_found()
    {
        var first = await CreateAsync("first");
        await CreateAsync("second");
        var third = await CreateAsync("third");
        await CreateAsync("fourth");

        Assert.Equal(["second", "first"], await NamesAsync(true, ("before", "third")));
        Assert.Equal(["fourth", "third", "second"], await NamesAsync(true, ("since", first[..12])));
        Assert.Equal(["second"], await NamesAsync(true, ("since", "first"), ("before", third)));
        Assert.Empty(await NamesAsync(false, ("before", "third"))); // none runs
        Assert.Equal("No such container: nope", await RefusedAsync(ErrorKind.NotFound, ("since", "nope")));
    }

    [Fact]
    public async Task Status_lists_stopped_containers_and_exited_wants_a_container_that_ran()
    {
        await CreateAsync("created");
        var ok = await RunAsync("ok");
        var failed = await RunAsync("failed");
        await RunAsync("running");
        await ExitAsync(ok, 0);
        await ExitAsync(failed, 3);

        Assert.Equal(["failed", "ok"], await NamesAsync(false, ("status", "exited")));
        Assert.Equal(["running", "created"], await NamesAsync(false, ("status", "running"), ("status", "created")));
        Assert.Equal(["ok"], await NamesAsync(true, ("exited", "0"))); // "created" has exit code 0 too, but never ran
        Assert.Equal(["failed", "ok"], await NamesAsync(true, ("exited", "0"), ("exited", "3")));
        Assert.Empty(await NamesAsync(false, ("exited", "0"))); // unlike status, exited does not imply --all
        Assert.Equal(["running"], await NamesAsync(true, ("health", "none"), ("status", "running")));
    }

    [Fact]
    public async Task Names_match_with_or_without_the_slash_and_labels_must_all_match()
    {
        await CreateAsync("web", new ContainerConfig { Image = "busybox", Labels = new Dictionary<string, string> { ["tier"] = "front", ["team"] = "a" } });
        await CreateAsync("webapp", new ContainerConfig { Image = "busybox", Labels = new Dictionary<string, string> { ["tier"] = "front" } });
        await CreateAsync("db");

        Assert.Equal(["web"], await NamesAsync(true, ("name", "^web$")));
        Assert.Equal(["web"], await NamesAsync(true, ("name", "^/web$")));
        Assert.Equal(["webapp", "web"], await NamesAsync(true, ("name", "web")));
        Assert.Equal(["webapp", "web"], await NamesAsync(true, ("label", "tier=front")));
        Assert.Equal(["web"], await NamesAsync(true, ("label", "tier=front"), ("label", "team")));
        Assert.Empty(await NamesAsync(true, ("label", "tier=back")));
    }

    [Fact]
    public async Task Ancestor_resolves_each_reference_to_an_image_id_and_an_unknown_one_matches_nothing()
    {
        await CreateAsync("box");
        await CreateAsync("app", new ContainerConfig { Image = "app:v1" });

        Assert.Equal(["app"], await NamesAsync(true, ("ancestor", "app:v1")));
        Assert.Equal(["app"], await NamesAsync(true, ("ancestor", AppImageId)));
        Assert.Equal(["app", "box"], await NamesAsync(true, ("ancestor", "app:v1"), ("ancestor", "busybox")));
        Assert.Equal(["box"], await NamesAsync(true, ("ancestor", "busybox"), ("ancestor", "gone")));
        Assert.Empty(await NamesAsync(true, ("ancestor", "gone")));
    }

    [Fact]
    public async Task Network_matches_a_network_name_or_a_prefix_of_its_id()
    {
        var front = _networks.Create(new NetworkCreate { Name = "front" });
        await CreateAsync("web", host: new HostConfig { NetworkMode = "front" });
        await CreateAsync("db", host: new HostConfig { NetworkMode = "bridge" });

        Assert.Equal(["web"], await NamesAsync(true, ("network", "front")));
        Assert.Equal(["web"], await NamesAsync(true, ("network", front.Id[..6])));
        Assert.Equal(["db", "web"], await NamesAsync(true, ("network", "front"), ("network", "bridge")));
        Assert.Empty(await NamesAsync(true, ("network", "back")));
    }

    [Fact]
    public async Task Publish_matches_host_ports_and_expose_container_ports_of_running_containers()
    {
        var host = new HostConfig
        {
            NetworkMode = "bridge",
            PortBindings = new Dictionary<string, IReadOnlyList<PortBinding>> { ["80/tcp"] = [new PortBinding("", "8080")] },
        };
        await RunAsync("web", new ContainerConfig { Image = "busybox", ExposedPorts = ["80/tcp", "53/udp"] }, host);
        await RunAsync("app", new ContainerConfig { Image = "app:v1" }, new HostConfig { NetworkMode = "bridge" });
        var stopped = await RunAsync("stopped", new ContainerConfig { Image = "busybox", ExposedPorts = ["80/tcp"] }, new HostConfig { NetworkMode = "bridge" });
        await ExitAsync(stopped, 0);

        Assert.Equal(["web"], await NamesAsync(true, ("publish", "8080")));
        Assert.Equal(["web"], await NamesAsync(true, ("publish", "8000-8090/tcp")));
        Assert.Empty(await NamesAsync(true, ("publish", "8080/udp")));
        Assert.Empty(await NamesAsync(true, ("publish", "80")));
        Assert.Equal(["web"], await NamesAsync(true, ("expose", "80/tcp"))); // a stopped container has no ports
        Assert.Equal(["web"], await NamesAsync(true, ("expose", "53/UDP")));
        Assert.Equal(["app"], await NamesAsync(true, ("expose", "5000"))); // the image's EXPOSE
        Assert.Equal(["app", "web"], await NamesAsync(true, ("expose", "1-5000"), ("publish", "1")));
    }

    [Fact]
    public async Task No_container_here_is_a_task_and_volume_matches_a_mounts_destination()
    {
        await CreateAsync("web");
        await CreateAsync("db", host: new HostConfig { NetworkMode = "host", Mounts = [new MountSpec { Type = "tmpfs", Target = "/data" }] });
        Assert.Equal(["db", "web"], (await NamesAsync(true, ("is-task", "false"))).Order());
        Assert.Empty(await NamesAsync(true, ("is-task", "1")));
        Assert.Equal(["db"], await NamesAsync(true, ("volume", "/data")));
        Assert.Empty(await NamesAsync(true, ("volume", "/other")));
        Assert.Equal(["db", "web"], (await NamesAsync(true, ("isolation", "default"))).Order()); // a Windows concept, ignored on Linux
    }

    [Fact]
    public async Task A_limit_lists_stopped_containers_and_counts_only_those_the_filters_keep()
    {
        await CreateAsync("a1");
        await CreateAsync("b1");
        await CreateAsync("c1");
        await CreateAsync("other");

        var listed = await _service.ListAsync(false, 2, Filters([("name", "^[abc]1$")]));
        Assert.Equal(["/c1", "/b1"], listed.Select(c => c.Name));
    }
}
