using Berth.Testing;

namespace Berth.EndToEnd.Tests.Registries;

/// <summary>
/// Push and pull through berthd with the docker CLI, against our registry server on 127.0.0.1 (the daemon's
/// default registry, so plain names like <c>busybox</c> are pulled from it and never from Docker Hub).
/// </summary>
public sealed class PullPushTests : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly DaemonProcess _daemon;
    private readonly RegistryProcess _registry;

    public PullPushTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
        _registry = RegistryProcess.Berth(daemon.DefaultRegistry);
    }

    public void Dispose() => _registry.Dispose();

    private CommandResult Docker(params string[] args) => _daemon.Docker(args);

    [PrivilegedFact]
    public void Push_then_pull_gives_back_the_same_image_and_run_pulls_what_is_missing()
    {
        var remote = $"{_daemon.DefaultRegistry}/team/box:1";
        var id = Docker("image", "inspect", "-f", "{{.Id}}", "busybox").Output;
        Docker("tag", "busybox", remote).Ok("tag");
        var push = Docker("push", remote).Ok("push").Output;
        Assert.Contains($"The push refers to repository [{_daemon.DefaultRegistry}/team/box]", push);
        Assert.Matches(@"1: digest: sha256:[0-9a-f]{64} size: \d+", push);
        Docker("rmi", remote).Ok("rmi");

        var pull = Docker("pull", remote).Ok("pull").Output;
        Assert.Contains("Status: Downloaded newer image for " + remote, pull);
        Assert.Equal(id, Docker("image", "inspect", "-f", "{{.Id}}", remote).Output);
        Assert.Contains("Image is up to date", Docker("pull", remote).Ok("pull again").Output);

        // library/ names: pushed under the default registry, then pulled by their short name.
        Docker("tag", "busybox", $"{_daemon.DefaultRegistry}/library/tiny:2").Ok("tag");
        Docker("push", $"{_daemon.DefaultRegistry}/library/tiny:2").Ok("push");
        var run = Docker("run", "--rm", "tiny:2", "echo", "pulled");
        Assert.Equal("pulled", run.Ok("run with an implicit pull").Output);
        Assert.Contains("Unable to find image 'tiny:2' locally", run.Stderr);
        Docker("rmi", "tiny:2", $"{_daemon.DefaultRegistry}/library/tiny:2", remote).Ok("rmi");
    }

    [PrivilegedFact]
    public void A_missing_repository_is_a_not_found_error_and_nothing_is_stored()
    {
        var before = Docker("images", "-q").Output;
        var result = Docker("pull", "no-such-repo:1");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error response from daemon: manifest for no-such-repo:1 not found", result.Stderr);
        Assert.Equal(before, Docker("images", "-q").Output);
    }

    [PrivilegedFact]
    public void All_tags_push_and_pull_every_tag_of_the_repository()
    {
        var repository = $"{_daemon.DefaultRegistry}/multi/box";
        Docker("tag", "busybox", repository + ":a").Ok("tag a");
        Docker("tag", "busybox", repository + ":b").Ok("tag b");
        var push = Docker("push", "--all-tags", repository).Ok("push -a").Output;
        Assert.Matches(@"(?m)^a: digest: sha256:[0-9a-f]{64} size: \d+", push);
        Assert.Matches(@"(?m)^b: digest: sha256:[0-9a-f]{64} size: \d+", push);
        Docker("rmi", repository + ":a", repository + ":b").Ok("rmi");

        var pull = Docker("pull", "--all-tags", repository).Ok("pull -a").Output;
        Assert.Contains("a: Pulling from multi/box", pull);
        Assert.Contains("b: Pulling from multi/box", pull);
        Assert.Single(pull.Split('\n'), l => l.StartsWith("Status: ", StringComparison.Ordinal));
        Assert.Equal(["a", "b"], Docker("images", "--format", "{{.Tag}}", repository).Output.Split('\n').Order());
        Docker("rmi", repository + ":a", repository + ":b").Ok("rmi");
    }
}
