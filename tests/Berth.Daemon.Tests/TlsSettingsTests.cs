using Berth.Daemon.Configuration;

namespace Berth.Daemon.Tests;

/// <summary>dockerd's TLS rules: what turns TLS on, what it needs, and plain TCP only when asked for explicitly.</summary>
public sealed class TlsSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berthd-tls-").FullName;
    private readonly string _config;

    public TlsSettingsTests()
    {
        foreach (var name in new[] { "ca.pem", "cert.pem", "key.pem" }) File.WriteAllText(Path.Combine(_dir, name), "");
        _config = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(_config, "{}");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DaemonSettings Load(params string[] args) => DaemonConfiguration.Parse([.. args, "--config-file", _config]).Load();

    private string[] Files => ["--tlscacert", Path.Combine(_dir, "ca.pem"), "--tlscert", Path.Combine(_dir, "cert.pem"), "--tlskey", Path.Combine(_dir, "key.pem")];

    [Fact]
    public void Tlsverify_turns_tls_on_and_verifies_clients()
    {
        var settings = Load(["-H", "tcp://127.0.0.1:2376", "--tlsverify", .. Files]);
        Assert.Equal(new TlsSettings(Path.Combine(_dir, "cert.pem"), Path.Combine(_dir, "key.pem"), Path.Combine(_dir, "ca.pem"), Verify: true), settings.Tls);
    }

    [Fact]
    public void Tls_alone_verifies_clients_too_and_its_default_host_is_tcp_2376()
    {
        var settings = Load(["--tls", .. Files]);
        Assert.True(settings.Tls!.Verify);
        Assert.Equal([new TcpHost("127.0.0.1", 2376)], settings.Hosts);
    }

    [Fact]
    public void Tlsverify_false_serves_tls_without_client_certificates()
    {
        var settings = Load(["-H", "tcp://127.0.0.1", "--tlsverify=false", "--tlscert", Path.Combine(_dir, "cert.pem"), "--tlskey", Path.Combine(_dir, "key.pem")]);
        Assert.Equal((false, null), (settings.Tls!.Verify, settings.Tls.CaFile));
        Assert.Equal([new TcpHost("127.0.0.1", 2376)], settings.Hosts);
    }

    [Fact]
    public void Missing_certificate_files_are_refused()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load("-H", "tcp://127.0.0.1:2376", "--tlsverify", "--tlscacert", "/nonexistent/ca.pem",
            "--tlscert", Path.Combine(_dir, "cert.pem"), "--tlskey", Path.Combine(_dir, "key.pem")));
        Assert.Contains("/nonexistent/ca.pem", e.Message);
    }

    [Fact]
    public void Plain_tcp_is_refused_unless_tls_is_turned_off_explicitly()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load("-H", "tcp://127.0.0.1:2375"));
        Assert.Contains("'--tls=false'", e.Message);

        var settings = Load("-H", "tcp://127.0.0.1:2375", "--tls=false");
        Assert.Null(settings.Tls);
    }

    [Fact]
    public void The_file_can_say_it_too()
    {
        File.WriteAllText(_config, """{"hosts": ["tcp://127.0.0.1:2399"], "tls": false}""");
        Assert.Equal([new TcpHost("127.0.0.1", 2399)], Load().Hosts);
    }
}
