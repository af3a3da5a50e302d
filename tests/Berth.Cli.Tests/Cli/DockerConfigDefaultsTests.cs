using Berth.Api.Models.Containers;
using Berth.Api.Models.Images;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Cli;

/// <summary>config.json's psFormat, imagesFormat and detachKeys as docker applies them: defaults a flag overrides.</summary>
public sealed class DockerConfigDefaultsTests : IDisposable
{
    private readonly string _config = Directory.CreateTempSubdirectory("berth-config-").FullName;
    private readonly TestCli _cli = new();

    public DockerConfigDefaultsTests()
    {
        _cli.Environment["DOCKER_CONFIG"] = _config;
        File.WriteAllText(Path.Combine(_config, "config.json"),
            """{"psFormat":"{{.Names}}!","imagesFormat":"{{.Repository}}?","detachKeys":"ctrl-x"}""");
        _cli.Client.Containers.Add(new ContainerSummary { Id = new string('1', 64), Names = ["/web"], Image = "busybox", ImageID = "sha256:" + new string('f', 64) });
        _cli.Client.Inspects["web"] = new ContainerInspectResponse { Id = "web" };
        _cli.Client.Images.Add(new ImageSummary { Id = "sha256:" + new string('2', 64), RepoTags = ["busybox:latest"] });
    }

    public void Dispose() => Directory.Delete(_config, recursive: true);

    [Fact]
    public async Task Ps_and_images_use_the_configured_formats_unless_given_one_or_quiet()
    {
        Assert.Equal(0, await _cli.RunAsync("ps"));
        Assert.Equal("web!\n", _cli.Stdout);
        Assert.Equal(0, await _cli.RunAsync("ps", "--format", "{{.Image}}"));
        Assert.Equal("busybox\n", _cli.Stdout);
        Assert.Equal(0, await _cli.RunAsync("ps", "-q"));
        Assert.Equal("111111111111\n", _cli.Stdout);
        Assert.Equal(0, await _cli.RunAsync("images"));
        Assert.Equal("busybox?\n", _cli.Stdout);
    }

    [Fact]
    public async Task Exec_uses_the_configured_detach_keys_unless_given_some()
    {
        Assert.Equal(0, await _cli.RunAsync("exec", "-d", "web", "true"));
        Assert.Equal("ctrl-x", _cli.Client.ExecRequests[0].DetachKeys);
        Assert.Equal(0, await _cli.RunAsync("exec", "-d", "--detach-keys", "ctrl-y", "web", "true"));
        Assert.Equal("ctrl-y", _cli.Client.ExecRequests[1].DetachKeys);
    }
}
