using System.Text;
using Berth.Testing;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.EndToEnd.Tests;

/// <summary>Docker.DotNet (the client Testcontainers for .NET uses) against berthd: its typed models and its hijack.</summary>
public sealed class DockerDotNetTests : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly DaemonProcess _daemon;
    private readonly DockerClient _client;

    public DockerDotNetTests(DaemonProcess daemon)
    {
        Berth.Testing.Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
        _client = new DockerClientBuilder().WithEndpoint(new Uri(daemon.Host)).Build();
    }

    public void Dispose() => _client.Dispose();

    [PrivilegedFact]
    public async Task Create_start_wait_logs_inspect_remove()
    {
        var created = await _client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = "busybox",
            Cmd = ["sh", "-c", "echo to-out; echo to-err >&2; exit 2"],
            Labels = new Dictionary<string, string> { ["org.test"] = "dotnet" },
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        Assert.True(await _client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters()));
        var exit = await _client.Containers.WaitContainerAsync(created.ID);
        Assert.Equal(2, exit.StatusCode);

        using var logs = await _client.Containers.GetContainerLogsAsync(created.ID,
            new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, CancellationToken.None);
        var (stdout, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
        Assert.Equal("to-out\n", stdout);
        Assert.Equal("to-err\n", stderr);

        var inspect = await _client.Containers.InspectContainerAsync(created.ID);
        Assert.Equal("exited", inspect.State!.Status);
        Assert.Equal(2, inspect.State.ExitCode);
        Assert.Equal("json-file", inspect.HostConfig!.LogConfig!.Type);
        Assert.Null(inspect.State.Health);
        Assert.StartsWith("sha256:", inspect.Image);

        var listed = await _client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["org.test=dotnet"] = true } },
        });
        Assert.Equal(created.ID, Assert.Single(listed).ID);

        await _client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => _client.Containers.InspectContainerAsync(created.ID));
    }

    [PrivilegedFact]
    public async Task Exec_through_the_hijacked_stream_returns_output_and_exit_code()
    {
        var created = await _client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = "busybox", Cmd = ["sleep", "60"], HostConfig = new HostConfig { NetworkMode = "none" },
        });
        await _client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        try
        {
            var exec = await _client.Exec.CreateContainerExecAsync(created.ID, new ContainerExecCreateParameters
            {
                AttachStdout = true, AttachStderr = true, AttachStdin = true, Cmd = ["sh", "-c", "read x; echo got:$x; echo oops >&2; exit 9"],
            });
            using var stream = await _client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), CancellationToken.None);
            await stream.WriteAsync(Encoding.ASCII.GetBytes("hello\n"), 0, 6, CancellationToken.None);
            stream.CloseWrite();
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
            Assert.Equal("got:hello\n", stdout);
            Assert.Equal("oops\n", stderr);
            var inspect = await _client.Exec.InspectContainerExecAsync(exec.ID);
            Assert.False(inspect.Running);
            Assert.Equal(9, inspect.ExitCode);
        }
        finally
        {
            await _client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    [PrivilegedFact]
    public async Task Unknown_images_and_containers_are_typed_404s()
    {
        var image = await Assert.ThrowsAsync<DockerImageNotFoundException>(() =>
            _client.Containers.CreateContainerAsync(new CreateContainerParameters { Image = "nope:1" }));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, image.StatusCode);
        Assert.Contains("No such image: nope:1", image.Message);
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => _client.Containers.InspectContainerAsync("nope"));
        var images = await _client.Images.ListImagesAsync(new ImagesListParameters());
        Assert.Contains(images, i => i.RepoTags.Contains("busybox:latest"));
        var inspect = await _client.Images.InspectImageAsync("busybox");
        Assert.Equal("amd64", inspect.Architecture);
    }

    [PrivilegedFact]
    public async Task Build_from_a_tar_context_reports_the_image_id_and_tags_it()
    {
        using var context = new MemoryStream();
        await using (var tar = new System.Formats.Tar.TarWriter(context, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
        {
            var dockerfile = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "Dockerfile")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes("FROM busybox\nRUN echo from-dotnet > /built\nCMD [\"cat\", \"/built\"]\n")),
            };
            await tar.WriteEntryAsync(dockerfile);
        }
        context.Position = 0;
        var messages = new Messages();

        await _client.Images.BuildImageFromDockerfileAsync(new ImageBuildParameters { Tags = ["dotnet-built:1"], Remove = true },
            context, [], new Dictionary<string, string>(), messages);

        Assert.Contains(messages.All, m => m.Stream?.StartsWith("Successfully built ", StringComparison.Ordinal) == true);
        Assert.Contains(messages.All, m => m.Aux is not null);
        var image = await _client.Images.InspectImageAsync("dotnet-built:1");
        Assert.Equal(["cat", "/built"], image.Config!.Cmd);
    }

    /// <summary>Collects progress as it is reported (Progress&lt;T&gt; posts to the pool and may run after the call returns).</summary>
    private sealed class Messages : IProgress<JSONMessage>
    {
        public List<JSONMessage> All { get; } = [];

        public void Report(JSONMessage value)
        {
            lock (All) All.Add(value);
        }
    }
}
