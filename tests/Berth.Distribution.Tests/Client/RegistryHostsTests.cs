using Berth.Distribution.Client;
using Berth.Oci.Image;

namespace Berth.Distribution.Tests.Client;

public sealed class RegistryHostsTests
{
    [Fact]
    public void ContainerdsHostsTomlParsesItsServerAndHostsInOrder()
    {
        var hosts = RegistryHosts.Parse("""
            # mirrors of registry.k8s.io
            server = "https://registry.k8s.io"

            [host."http://127.0.0.1:5000"]
              capabilities = ["pull", "resolve"]   # no push
              skip_verify = true
            [host."https://mirror.example/v2/k8s"]
              capabilities = ['pull']
              [host."https://mirror.example/v2/k8s".header]
                x-custom = "ignored"
            """);
        Assert.Equal("https://registry.k8s.io/", hosts.Server?.ToString());
        Assert.Equal(["http://127.0.0.1:5000/", "https://mirror.example/v2/k8s"], hosts.Hosts.Select(h => h.BaseUri.ToString()));
        Assert.Equal(["pull", "resolve"], hosts.Hosts[0].Capabilities);
        Assert.True(hosts.Hosts[0].SkipVerify);
        Assert.Equal(["pull"], hosts.Hosts[1].Capabilities);
        Assert.False(hosts.Hosts[1].SkipVerify);
    }

    [Fact]
    public void AHostWithoutCapabilitiesMayDoEverythingAndABareHostIsHttps()
    {
        var hosts = RegistryHosts.Parse("[host.\"mirror.example:5000\"]\n");
        Assert.Null(hosts.Server);
        Assert.Equal("https://mirror.example:5000/", hosts.Hosts.Single().BaseUri.ToString());
        Assert.True(hosts.Hosts[0].Can("pull") && hosts.Hosts[0].Can("push"));
    }

    [Theory]
    [InlineData("server")]
    [InlineData("server = \"ftp://x\"")]
    public void AMalformedFileIsRefusedWithItsLine(string line)
    {
        var error = Assert.Throws<FormatException>(() => RegistryHosts.Parse($"\n{line}\n", "/etc/x/hosts.toml"));
        Assert.StartsWith("/etc/x/hosts.toml:2:", error.Message);
    }

    [Fact]
    public void PullsGoToTheHostsThatMayPullThenToTheServerAndPushesSkipThem()
    {
        using var directory = new TempDirectory();
        directory.Write("registry.k8s.io/hosts.toml", """
            server = "http://127.0.0.1:5001"
            [host."http://127.0.0.1:5000"]
              capabilities = ["pull", "resolve"]
            """);
        directory.Write("_default/hosts.toml", "[host.\"https://10.1.2.3\"]\n  skip_verify = true\n");
        var options = new RegistryClientOptions { HostsDirectory = directory.Path };

        Assert.Equal([("http://127.0.0.1:5000/", true), ("http://127.0.0.1:5001/", false)], Urls(options.Endpoints("registry.k8s.io", pull: true)));
        Assert.Equal([("http://127.0.0.1:5001/", false)], Urls(options.Endpoints("registry.k8s.io", pull: false)));
        Assert.False(options.IsInsecure("10.1.2.3"));
        Assert.Equal([("https://10.1.2.3/", true), ("https://quay.io/", false)], Urls(options.Endpoints("quay.io", pull: true)));
        Assert.True(options.IsInsecure("10.1.2.3")); // skip_verify
        Assert.Equal("https://registry-1.docker.io/", options.Endpoints(ImageReference.DefaultDomain, pull: true)[^1].BaseUri.ToString());
    }

    [Fact]
    public void WithoutAFileForTheRegistryDockersSettingsApply()
    {
        using var directory = new TempDirectory();
        var options = new RegistryClientOptions { HostsDirectory = directory.Path, DefaultRegistry = "127.0.0.1:5000" };
        Assert.Equal([("https://127.0.0.1:5000/", false)], Urls(options.Endpoints(ImageReference.DefaultDomain, pull: true)));
        Assert.Equal([("https://gcr.io/", false)], Urls(options.Endpoints("gcr.io", pull: true)));
    }

    private static (string, bool)[] Urls(IEnumerable<RegistryEndpoint> endpoints) => [.. endpoints.Select(e => (e.BaseUri.ToString(), e.Mirror))];

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("berth-hosts-").FullName;

        public void Write(string relative, string text)
        {
            var file = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
