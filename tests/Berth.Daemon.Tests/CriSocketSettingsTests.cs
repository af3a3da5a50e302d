using Berth.Daemon.Configuration;

namespace Berth.Daemon.Tests;

/// <summary><c>--cri-socket</c> and daemon.json's <c>cri-socket</c>: where the Kubernetes CRI is served, or not at all.</summary>
public sealed class CriSocketSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berthd-cri-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DaemonSettings Load(string json, params string[] args)
    {
        var file = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(file, json);
        return DaemonConfiguration.Parse([.. args, "--config-file", file]).Load();
    }

    [Fact]
    public void By_default_the_CRI_is_served_in_the_exec_root()
    {
        Assert.Equal("/run/berth/cri.sock", Load("{}").CriSocket);
        Assert.Equal("/tmp/exec/cri.sock", Load("{}", "--exec-root", "/tmp/exec").CriSocket);
    }

    [Fact]
    public void The_flag_or_the_daemon_json_key_moves_it_and_an_empty_value_turns_it_off()
    {
        Assert.Equal("/tmp/k.sock", Load("{}", "--cri-socket", "/tmp/k.sock").CriSocket);
        Assert.Equal("/tmp/j.sock", Load("""{"cri-socket": "/tmp/j.sock"}""").CriSocket);
        Assert.Null(Load("{}", "--cri-socket", "").CriSocket);
    }

    [Fact]
    public void The_registry_mirror_directory_is_a_flag_or_a_daemon_json_key_and_none_by_default()
    {
        Assert.Null(Load("{}").RegistryConfigDir);
        Assert.Equal("/etc/berth/certs.d", Load("{}", "--registry-config-dir", "/etc/berth/certs.d").RegistryConfigDir);
        Assert.Equal("/etc/containerd/certs.d", Load("""{"registry-config-dir": "/etc/containerd/certs.d"}""").RegistryConfigDir);
    }

    [Fact]
    public void A_key_given_both_ways_is_refused_as_dockerd_refuses_it()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load("""{"cri-socket": "/tmp/j.sock"}""", "--cri-socket", "/tmp/k.sock"));
        Assert.Contains("cri-socket", error.Message);
    }

    [Fact]
    public void The_streaming_server_listens_on_the_loopback_unless_told_otherwise()
    {
        Assert.Equal("127.0.0.1:0", Load("{}").CriStreamAddress.ToString());
        Assert.Equal("127.0.0.2:10010", Load("{}", "--cri-stream-address", "127.0.0.2:10010").CriStreamAddress.ToString());
        Assert.Equal("[::1]:10010", Load("""{"cri-stream-address": "[::1]:10010"}""").CriStreamAddress.ToString());
        var error = Assert.Throws<ConfigurationException>(() => Load("{}", "--cri-stream-address", "localhost"));
        Assert.Contains("--cri-stream-address", error.Message);
    }
}
