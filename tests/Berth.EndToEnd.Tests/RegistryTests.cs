using System.Diagnostics;
using System.Net.Sockets;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Push and pull through berthd with the docker CLI, against our registry server on 127.0.0.1 (the daemon's
/// default registry, so plain names like <c>busybox</c> are pulled from it and never from Docker Hub).
/// </summary>
public sealed class RegistryTests : IClassFixture<DaemonProcess>, IDisposable
{
    private readonly DaemonProcess _daemon;
    private readonly Process _registry;

    public RegistryTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
        var info = new ProcessStartInfo(RepoPaths.Registry) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "serve", "--addr", daemon.DefaultRegistry, "--storage", "inmemory" }) info.ArgumentList.Add(a);
        _registry = Process.Start(info)!;
        _registry.OutputDataReceived += (_, _) => { };
        _registry.ErrorDataReceived += (_, _) => { };
        _registry.BeginOutputReadLine();
        _registry.BeginErrorReadLine();
        var port = int.Parse(daemon.DefaultRegistry.Split(':')[1]);
        for (var attempt = 0; attempt < 100 && !Listening(port); attempt++) Thread.Sleep(100);
    }

    public void Dispose()
    {
        _registry.Kill();
        _registry.WaitForExit();
        _registry.Dispose();
    }

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

    private static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
