using System.Net;
using Berth.Daemon.Configuration;

namespace Berth.Daemon.Tests;

/// <summary>
/// <c>--registry</c> with <c>--registry-tls-cert</c>, <c>--registry-tls-key</c> and <c>--registry-htpasswd</c>: a loopback
/// address needs none of them, any other address needs all of them.
/// </summary>
public sealed class RegistrySettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berthd-registry-").FullName;
    private readonly string _config;

    public RegistrySettingsTests()
    {
        foreach (var name in new[] { "cert.pem", "key.pem", "htpasswd" }) File.WriteAllText(Path.Combine(_dir, name), "");
        _config = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(_config, "{}");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string In(string name) => Path.Combine(_dir, name);

    private DaemonSettings Load(params string[] args) => DaemonConfiguration.Parse([.. args, "--config-file", _config]).Load();

    private string Refusal(params string[] args) => Assert.Throws<ConfigurationException>(() => Load(args)).Message;

    private string[] TlsFiles => ["--registry-tls-cert", In("cert.pem"), "--registry-tls-key", In("key.pem")];

    [Fact]
    public void A_loopback_registry_needs_neither_tls_nor_authentication()
    {
        Assert.Equal(new EmbeddedRegistrySettings(new IPEndPoint(IPAddress.Loopback, 5000), null, null), Load("--registry", "127.0.0.1:5000").Registry);
    }

    [Fact]
    public void Without_registry_there_is_none()
    {
        Assert.Null(Load().Registry);
    }

    [Fact]
    public void Another_address_is_served_with_tls_and_htpasswd()
    {
        var registry = Load(["--registry", "0.0.0.0:5000", .. TlsFiles, "--registry-htpasswd", In("htpasswd")]).Registry!;

        Assert.Equal(new IPEndPoint(IPAddress.Any, 5000), registry.Address);
        Assert.Equal(new TlsSettings(In("cert.pem"), In("key.pem"), null, Verify: false), registry.Tls);
        Assert.Equal(In("htpasswd"), registry.HtpasswdFile);
    }

    [Fact]
    public void A_loopback_registry_takes_tls_and_htpasswd_too()
    {
        var registry = Load(["--registry", "127.0.0.1:5000", .. TlsFiles, "--registry-htpasswd", In("htpasswd")]).Registry!;
        Assert.Equal((In("cert.pem"), In("htpasswd")), (registry.Tls?.CertFile, registry.HtpasswdFile));
    }

    [Fact]
    public void Another_address_without_htpasswd_is_refused_naming_it()
    {
        Assert.Equal("refusing to serve a registry on 10.1.2.3:5000 without authentication: a --registry address other than loopback needs --registry-htpasswd",
            Refusal(["--registry", "10.1.2.3:5000", .. TlsFiles]));
    }

    [Fact]
    public void Another_address_without_tls_is_refused_naming_it()
    {
        Assert.Equal("refusing to serve a registry on [::]:5000 without TLS: a --registry address other than loopback needs --registry-tls-cert and --registry-tls-key",
            Refusal("--registry", "[::]:5000", "--registry-htpasswd", In("htpasswd")));
    }

    [Theory]
    [InlineData("--registry-tls-cert", "cert.pem")]
    [InlineData("--registry-tls-key", "key.pem")]
    public void Certificate_and_key_go_together(string flag, string file)
    {
        Assert.Equal("--registry-tls-cert and --registry-tls-key go together", Refusal("--registry", "127.0.0.1:5000", flag, In(file)));
    }

    [Fact]
    public void Missing_files_are_refused()
    {
        Assert.Equal("could not read /nonexistent/htpasswd: open /nonexistent/htpasswd: no such file or directory",
            Refusal("--registry", "127.0.0.1:5000", "--registry-htpasswd", "/nonexistent/htpasswd"));
    }

    [Fact]
    public void Daemon_json_takes_the_same_keys_and_a_key_given_both_ways_is_refused()
    {
        File.WriteAllText(_config, $$"""
            {"registry": "0.0.0.0:5000", "registry-tls-cert": "{{In("cert.pem")}}", "registry-tls-key": "{{In("key.pem")}}",
             "registry-htpasswd": "{{In("htpasswd")}}"}
            """);
        Assert.Equal(In("htpasswd"), Load().Registry!.HtpasswdFile);

        Assert.Contains("specified both as a flag and in the configuration file: registry-htpasswd: (from flag: /x, from file: ",
            Refusal("--registry-htpasswd", "/x"));
    }
}
