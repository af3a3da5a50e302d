using Berth.Engine.Containers;
using Berth.Engine.Containers.Model;
using Berth.Engine.Events;
using Berth.Engine.Store;
using Berth.Engine.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Engine.Tests.Containers;

/// <summary>The container lifecycle over the in-memory task runtime: what a start sets up is released on every path.</summary>
public sealed class ContainerServiceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-engine-").FullName;
    private readonly FakeContainerImages _images = new();
    private readonly InMemoryTaskRuntime _tasks = new();
    private readonly ContainerService _service;

    public ContainerServiceTests() => _service = NewService();

    public void Dispose()
    {
        _service.DrainRemovalsAsync().Wait();
        Directory.Delete(_root, recursive: true);
    }

    private ContainerService NewService() => Services.Container(_root, _images, _tasks, new FakeNetworkHost());

    /// <summary>Host networking: a private network namespace is a kernel object these tests do not make.</summary>
    private async Task<string> CreateAsync(ContainerService service, HostConfig? hostConfig = null) =>
        (await service.CreateAsync(null, new ContainerConfig { Image = "busybox" }, hostConfig ?? new HostConfig { NetworkMode = "host" })).Id;

    private static async Task<int> ExitCodeAsync(ContainerService service, string id)
    {
        var result = await service.Wait(id, WaitCondition.NotRunning).WaitAsync(TimeSpan.FromSeconds(10));
        return result.StatusCode;
    }

    private bool Mounted(string id) => _images.Mounted.GetValueOrDefault(_service.Layout.Rootfs(id));

    [Fact]
    public async Task A_start_sets_up_rootfs_bundle_and_task_and_the_exit_releases_them()
    {
        var id = await CreateAsync(_service);
        await _service.StartAsync(id);

        var task = _tasks.Tasks[id];
        Assert.True(task.Started);
        Assert.True(Mounted(id));
        Assert.True(File.Exists(Path.Combine(_service.Layout.Dir(id), "config.json")));
        Assert.Equal((ContainerStatus.Running, task.Pid), (_service.Get(id).State.Status, _service.Get(id).State.Pid));

        var exited = _service.Wait(id, WaitCondition.NextExit);
        task.Exit(3);
        Assert.Equal(3, (await exited.WaitAsync(TimeSpan.FromSeconds(10))).StatusCode);
        Assert.Equal(ContainerStatus.Exited, _service.Get(id).State.Status);
        Assert.True(task.Deleted);
        Assert.False(Mounted(id));
    }

    [Fact]
    public async Task A_task_the_runtime_refuses_leaves_nothing_and_records_dockers_error()
    {
        var id = await CreateAsync(_service);
        _tasks.FailNextCreate = "exec: \"nope\": executable file not found in $PATH";

        var error = await Assert.ThrowsAsync<EngineException>(() => _service.StartAsync(id));

        Assert.Equal(ErrorKind.System, error.Kind);
        Assert.StartsWith("failed to create task for container: OCI runtime create failed: exec: \"nope\"", error.Message);
        var state = _service.Get(id).State;
        Assert.Equal((ContainerStatus.Created, 127), (state.Status, state.ExitCode));
        Assert.Equal(error.Message, state.Error);
        Assert.False(Mounted(id));
        Assert.Contains(id, _tasks.CleanedUp);
    }

    [Fact]
    public async Task An_auto_remove_container_whose_start_failed_is_removed()
    {
        var id = await CreateAsync(_service, new HostConfig { AutoRemove = true, NetworkMode = "host" });
        var removed = _service.Wait(id, WaitCondition.Removed);
        _tasks.FailNextCreate = "boom";

        await Assert.ThrowsAsync<EngineException>(() => _service.StartAsync(id));

        await removed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<EngineException>(() => _service.Get(id)).Kind);
    }

    [Fact]
    public async Task An_auto_remove_container_joining_a_stopped_one_is_removed_when_its_start_is_refused()
    {
        var donor = await CreateAsync(_service);
        var id = await CreateAsync(_service, new HostConfig { AutoRemove = true, NetworkMode = $"container:{donor}" });
        var removed = _service.Wait(id, WaitCondition.Removed);

        var error = await Assert.ThrowsAsync<EngineException>(() => _service.StartAsync(id));

        Assert.Equal($"cannot join network of a non running container: {donor}", error.Message);
        await removed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<EngineException>(() => _service.Get(id)).Kind);
    }

    [Fact]
    public async Task A_crashed_supervisor_ends_the_run_with_255_and_releases_it()
    {
        var id = await CreateAsync(_service);
        await _service.StartAsync(id);
        _tasks.Tasks[id].Crash();

        Assert.Equal(255, await ExitCodeAsync(_service, id));
        Assert.False(Mounted(id));
    }

    [Fact]
    public async Task Stop_sends_the_stop_signal_and_kill_after_the_timeout()
    {
        var id = await CreateAsync(_service);
        await _service.StartAsync(id);
        await _service.StopAsync(id, timeout: 1, signal: null);

        Assert.Equal([15], _tasks.Tasks[id].Signals);
        Assert.Equal(143, _service.Get(id).State.ExitCode);
        await Assert.ThrowsAsync<EngineException>(() => _service.StopAsync(id, 1, null));
    }

    [Fact]
    public async Task Restart_is_no_policy_restart_of_a_container_with_a_restart_policy()
    {
        var id = await CreateAsync(_service, new HostConfig { NetworkMode = "host", RestartPolicy = new RestartPolicy("always", 0) });
        await _service.StartAsync(id);

        await _service.RestartAsync(id, timeout: 1, signal: null);
        var task = _tasks.Tasks[id];
        await Task.Delay(300); // past the policy's first back-off (100 ms), which must not start it again

        var container = _service.Get(id);
        Assert.Equal((ContainerStatus.Running, 0, task.Pid), (container.State.Status, container.RestartCount, container.State.Pid));
        Assert.Same(task, _tasks.Tasks[id]);
    }

    [Fact]
    public async Task Restart_keeps_an_auto_remove_container()
    {
        var id = await CreateAsync(_service, new HostConfig { NetworkMode = "host", AutoRemove = true });
        await _service.StartAsync(id);
        var removed = _service.Wait(id, WaitCondition.Removed);

        await _service.RestartAsync(id, timeout: 1, signal: null);

        await Task.Delay(300); // the old run's exit would remove it once the restart released the container

        Assert.False(removed.IsCompleted);
        Assert.Equal(ContainerStatus.Running, _service.Get(id).State.Status);
    }

    [Fact]
    public async Task Update_and_top_of_a_running_container_go_to_its_task()
    {
        var id = await CreateAsync(_service);
        await _service.StartAsync(id);

        await _service.UpdateAsync(id, new Resources { Memory = 64 << 20 }, restartPolicy: null);

        Assert.Equal(64L << 20, _tasks.Tasks[id].Resources?.Memory?.Limit);
        Assert.Equal(64L << 20, _service.Get(id).HostConfig.Resources.Memory);
    }

    [Fact]
    public async Task A_restarted_engine_adopts_running_containers_and_records_exits_that_came_meanwhile()
    {
        var running = await CreateAsync(_service);
        var exited = await CreateAsync(_service);
        await _service.StartAsync(running);
        await _service.StartAsync(exited);

        var restarted = NewService(); // the same data root and tasks: a daemon after a crash
        _tasks.Tasks[exited].Exit(4);
        await restarted.RestoreAsync();

        Assert.Equal(4, await ExitCodeAsync(restarted, exited));
        Assert.Equal(ContainerStatus.Running, restarted.Get(running).State.Status);
        _tasks.Tasks[running].Exit(0);
        Assert.Equal(0, await ExitCodeAsync(restarted, running));
    }

    [Fact]
    public async Task A_restarted_engine_releases_what_a_start_cut_short_left()
    {
        var id = await CreateAsync(_service);
        await _service.StartAsync(id);
        var created = await CreateAsync(_service);

        await NewService().RestoreAsync();

        Assert.Contains(created, _tasks.CleanedUp);
        Assert.DoesNotContain(id, _tasks.CleanedUp);
    }
}
