using System.Security.Cryptography;
using System.Text;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Cli;

/// <summary>Contexts in docker's store layout, and which daemon a command talks to.</summary>
public sealed class ContextTests : IDisposable
{
    private readonly string _config = Directory.CreateTempSubdirectory("berth-contexts-").FullName;
    private readonly TestCli _cli = new();

    public ContextTests() => _cli.Environment["DOCKER_CONFIG"] = _config;

    public void Dispose() => Directory.Delete(_config, recursive: true);

    private static string Id(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    [Fact]
    public async Task Create_writes_dockers_meta_json_and_ls_lists_it()
    {
        Assert.Equal(0, await _cli.RunAsync("context", "create", "foo", "--description", "my ctx", "--docker", "host=tcp://127.0.0.1:2376,skip-tls-verify=true"));
        Assert.Equal(("foo\n", "Successfully created context \"foo\"\n"), (_cli.Stdout, _cli.Stderr));
        Assert.Equal("{\"Name\":\"foo\",\"Metadata\":{\"Description\":\"my ctx\"},\"Endpoints\":{\"docker\":{\"Host\":\"tcp://127.0.0.1:2376\",\"SkipTLSVerify\":true}}}",
            File.ReadAllText(Path.Combine(_config, "contexts", "meta", Id("foo"), "meta.json")));

        Assert.Equal(0, await _cli.RunAsync("context", "ls"));
        Assert.Equal("""
            NAME        DESCRIPTION                               DOCKER ENDPOINT                ERROR
            default *   Current DOCKER_HOST based configuration   unix:///run/berth/berth.sock   
            foo         my ctx                                    tcp://127.0.0.1:2376           

            """, _cli.Stdout);
        Assert.Equal(1, await _cli.RunAsync("context", "create", "foo", "--docker", "host=unix:///x"));
        Assert.Equal("context \"foo\" already exists\n", _cli.Stderr);
        Assert.Equal(1, await _cli.RunAsync("context", "create", "default"));
        Assert.Equal("\"default\" is a reserved context name\n", _cli.Stderr);
    }

    [Fact]
    public async Task Use_records_the_current_context_which_then_chooses_the_daemon()
    {
        await _cli.RunAsync("context", "create", "remote", "--docker", "host=unix:///tmp/remote.sock");
        Assert.Equal(0, await _cli.RunAsync("context", "use", "remote"));
        Assert.Equal(("remote\n", "Current context is now \"remote\"\n"), (_cli.Stdout, _cli.Stderr));
        Assert.Contains("\"currentContext\": \"remote\"", File.ReadAllText(Path.Combine(_config, "config.json")));

        Assert.Equal(0, await _cli.RunAsync("ps", "-q"));
        Assert.Equal("/tmp/remote.sock", _cli.Endpoint!.SocketPath);
        Assert.Equal(0, await _cli.RunAsync("context", "show"));
        Assert.Equal("remote\n", _cli.Stdout);

        // -H and DOCKER_HOST mean the default context; DOCKER_CONTEXT beats currentContext; --context beats them all.
        Assert.Equal(0, await _cli.RunAsync("-H", "unix:///tmp/flag.sock", "ps", "-q"));
        Assert.Equal("/tmp/flag.sock", _cli.Endpoint!.SocketPath);
        _cli.Environment["DOCKER_CONTEXT"] = "default";
        Assert.Equal(0, await _cli.RunAsync("ps", "-q"));
        Assert.Equal("/run/berth/berth.sock", _cli.Endpoint!.SocketPath);
        Assert.Equal(0, await _cli.RunAsync("--context", "remote", "ps", "-q"));
        Assert.Equal("/tmp/remote.sock", _cli.Endpoint!.SocketPath);

        _cli.Environment.Remove("DOCKER_CONTEXT");
        Assert.Equal(1, await _cli.RunAsync("context", "rm", "remote"));
        Assert.Equal("context \"remote\" is in use, set -f flag to force remove\n", _cli.Stderr);
        Assert.Equal(0, await _cli.RunAsync("context", "use", "default"));
        Assert.DoesNotContain("currentContext", File.ReadAllText(Path.Combine(_config, "config.json")));
        Assert.Equal(0, await _cli.RunAsync("context", "rm", "remote"));
        Assert.False(Directory.Exists(Path.Combine(_config, "contexts", "meta", Id("remote"))));
    }

    [Fact]
    public async Task A_missing_context_fails_when_the_daemon_is_needed_and_conflicts_are_refused()
    {
        Assert.Equal(1, await _cli.RunAsync("--context", "nosuch", "ps"));
        var meta = Path.Combine(_config, "contexts", "meta", Id("nosuch"), "meta.json");
        Assert.Equal($"Failed to initialize: unable to resolve docker endpoint: context \"nosuch\": context not found: open {meta}: no such file or directory\n", _cli.Stderr);
        Assert.Equal(0, await _cli.RunAsync("--context", "nosuch", "context", "ls", "-q"));
        Assert.Equal("default\nnosuch\n", _cli.Stdout);

        Assert.Equal(1, await _cli.RunAsync("-H", "unix:///x", "--context", "nosuch", "ps"));
        Assert.Equal("conflicting options: cannot specify both --host and --context\n", _cli.Stderr);
        Assert.Equal(1, await _cli.RunAsync("-H", "unix:///x", "-H", "unix:///y", "ps"));
        Assert.Equal("Specify only one -H\n", _cli.Stderr);
    }

    [Fact]
    public async Task Inspect_prints_dockers_json_and_tls_material_is_copied()
    {
        var ca = Path.Combine(_config, "my-ca.pem");
        File.WriteAllText(ca, "not checked at create");
        Assert.Equal(0, await _cli.RunAsync("context", "create", "tlsd", "--docker", $"host=tcp://127.0.0.1:2376,ca={ca}"));
        var copied = Path.Combine(_config, "contexts", "tls", Id("tlsd"), "docker", "ca.pem");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(copied));

        Assert.Equal(0, await _cli.RunAsync("context", "inspect", "tlsd"));
        Assert.Equal($$"""
            [
                {
                    "Name": "tlsd",
                    "Metadata": {},
                    "Endpoints": {
                        "docker": {
                            "Host": "tcp://127.0.0.1:2376",
                            "SkipTLSVerify": false
                        }
                    },
                    "TLSMaterial": {
                        "docker": [
                            "ca.pem"
                        ]
                    },
                    "Storage": {
                        "MetadataPath": "{{Path.Combine(_config, "contexts", "meta", Id("tlsd"))}}",
                        "TLSPath": "{{Path.Combine(_config, "contexts", "tls", Id("tlsd"))}}"
                    }
                }
            ]

            """, _cli.Stdout);

        Assert.Equal(0, await _cli.RunAsync("--context", "tlsd", "ps", "-q"));
        Assert.Equal((2376, copied, true), (_cli.Endpoint!.TcpPort, _cli.Endpoint.Tls!.CaFile, _cli.Endpoint.Tls.Verify));

        Assert.Equal(0, await _cli.RunAsync("context", "inspect", "--format", "{{.Storage.MetadataPath}}", "default"));
        Assert.Equal("<IN MEMORY>\n", _cli.Stdout);
        Assert.Equal(0, await _cli.RunAsync("context", "inspect", "default"));
        Assert.Contains("\"MetadataPath\": \"\\u003cIN MEMORY\\u003e\"", _cli.Stdout);
    }

    [Fact]
    public async Task Global_tls_flags_make_a_tls_endpoint_with_dockers_default_files()
    {
        _cli.Environment["DOCKER_CERT_PATH"] = "/certs";
        Assert.Equal(0, await _cli.RunAsync("-H", "tcp://127.0.0.1", "--tlsverify", "ps", "-q"));
        var tls = _cli.Endpoint!.Tls!;
        Assert.Equal((2376, "/certs/ca.pem", null, null, true), (_cli.Endpoint.TcpPort, tls.CaFile, tls.CertFile, tls.KeyFile, tls.Verify));

        _cli.Environment["DOCKER_TLS_VERIFY"] = "1";
        Assert.Equal(0, await _cli.RunAsync("-H", "tcp://127.0.0.1:1234", "--tlscert", "/c.pem", "--tlskey", "/k.pem", "ps", "-q"));
        tls = _cli.Endpoint!.Tls!;
        Assert.Equal((1234, "/c.pem", "/k.pem", true), (_cli.Endpoint.TcpPort, tls.CertFile, tls.KeyFile, tls.Verify));

        _cli.Environment.Remove("DOCKER_TLS_VERIFY");
        Assert.Equal(0, await _cli.RunAsync("-H", "tcp://127.0.0.1", "ps", "-q"));
        Assert.Null(_cli.Endpoint!.Tls);
        Assert.Equal(0, await _cli.RunAsync("-H", "tcp://127.0.0.1", "--tls", "ps", "-q"));
        Assert.False(_cli.Endpoint!.Tls!.Verify);
    }
}
