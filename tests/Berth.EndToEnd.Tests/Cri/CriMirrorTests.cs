using Berth.Cri.V1;
using Berth.Testing;

namespace Berth.EndToEnd.Tests.Cri;

/// <summary>
/// A CRI daemon with a registry mirror configuration (<c>--registry-config-dir</c>): <c>registry.k8s.io</c> and
/// <c>gcr.io</c> are served by the daemon's own registry on 127.0.0.1, which is also their <c>server</c>, so nothing
/// is ever asked of the real ones.
/// </summary>
public sealed class MirroredCriDaemon : CriDaemon
{
    private static readonly string s_hosts = System.IO.Directory.CreateTempSubdirectory("berth-hosts-").FullName;

    public MirroredCriDaemon() : base(["--registry-config-dir", s_hosts], hostRegistry: true)
    {
        foreach (var registry in new[] { "registry.k8s.io", "gcr.io" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(s_hosts, registry));
            File.WriteAllText(Path.Combine(s_hosts, registry, "hosts.toml"), $"""
                server = "http://{HostedRegistry}"
                [host."http://{HostedRegistry}"]
                  capabilities = ["pull", "resolve"]
                """);
        }
    }

    public override void Dispose()
    {
        try
        {
            base.Dispose();
        }
        finally
        {
            System.IO.Directory.Delete(s_hosts, recursive: true);
        }
    }
}

public sealed class CriMirrorTests : IClassFixture<MirroredCriDaemon>
{
    private readonly MirroredCriDaemon _daemon;

    public CriMirrorTests(MirroredCriDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
    }

    [PrivilegedFact]
    public async Task A_name_of_a_mirrored_registry_is_pulled_from_the_mirror_and_keeps_its_name()
    {
        _daemon.SeedBusybox("mirror-source:1");
        _daemon.Docker("tag", "mirror-source:1", $"{_daemon.HostedRegistry}/e2e-test-images/busybox:1.29-2").Ok("tag");
        _daemon.Docker("push", $"{_daemon.HostedRegistry}/e2e-test-images/busybox:1.29-2").Ok("push");
        _daemon.Docker("rmi", $"{_daemon.HostedRegistry}/e2e-test-images/busybox:1.29-2", "mirror-source:1").Ok("rmi");
        const string name = "registry.k8s.io/e2e-test-images/busybox:1.29-2";

        var pulled = await _daemon.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = name } });
        var status = await _daemon.Images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = name } });

        Assert.Equal(pulled.ImageRef, status.Image.Id);
        Assert.Contains(name, status.Image.RepoTags);
        Assert.StartsWith("registry.k8s.io/e2e-test-images/busybox@sha256:", Assert.Single(status.Image.RepoDigests));
        var missing = _daemon.Docker("pull", "gcr.io/k8s-staging-cri-tools/missing:1");
        Assert.NotEqual(0, missing.ExitCode); // answered by the local registry, which has no such image
    }
}
