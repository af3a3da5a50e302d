using Berth.Testing;

namespace Berth.EndToEnd.Tests.Daemon;

/// <summary>berthd on a UNIX socket and on <c>tcp://127.0.0.1:PORT</c> with mutual TLS (<c>--tlsverify</c>).</summary>
public sealed class TlsDaemon : DaemonProcess, IDisposable
{
    private TlsDaemon(string certificates, int port)
        : base(["-H", $"tcp://127.0.0.1:{port}", .. new TestCertificates(certificates).DaemonArguments])
    {
        Certificates = new DirectoryInfo(certificates);
        TcpHost = $"tcp://127.0.0.1:{port}";
        // The UNIX socket answering (what the base waits for) does not mean the TCP listener is bound yet.
        for (var attempt = 0; attempt < 100 && !Accepts(port); attempt++) Thread.Sleep(50);
    }

    private static bool Accepts(int port)
    {
        using var probe = new System.Net.Sockets.TcpClient();
        try
        {
            probe.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    public TlsDaemon() : this(System.IO.Directory.CreateTempSubdirectory("berthd-certs-").FullName, FreePort()) { }

    public DirectoryInfo Certificates { get; }
    public string TcpHost { get; }

    /// <summary>The docker CLI over TCP with <c>--tlsverify</c> and <c>DOCKER_CERT_PATH</c> set to one of the client directories.</summary>
    public CommandResult DockerTls(string certPath, params string[] args) =>
        Commands.Run("docker", ["--tlsverify", "-H", TcpHost, .. args], environment: new Dictionary<string, string> { ["DOCKER_CERT_PATH"] = certPath });

    public new void Dispose()
    {
        base.Dispose();
        Certificates.Delete(recursive: true);
    }
}

public sealed class TlsDaemonTests : IClassFixture<TlsDaemon>
{
    private readonly TlsDaemon _daemon;

    public TlsDaemonTests(TlsDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
    }

    [PrivilegedFact]
    public void The_docker_cli_with_tlsverify_and_a_client_certificate_from_the_ca_is_served()
    {
        var version = _daemon.DockerTls(Path.Combine(_daemon.Certificates.FullName, "client"), "version", "--format", "{{.Server.APIVersion}}").Ok("docker version over TLS");
        Assert.Equal("1.44", version.Output);
    }

    [PrivilegedFact]
    public void Run_and_exec_work_over_tls_so_the_hijack_sits_above_the_tls_layer()
    {
        _daemon.SeedBusybox();
        var client = Path.Combine(_daemon.Certificates.FullName, "client");
        Assert.Equal("hello over tls", _daemon.DockerTls(client, "run", "--rm", "busybox", "echo", "hello over tls").Ok("docker run over TLS").Output);

        _daemon.DockerTls(client, "run", "-d", "--name", "tls-exec", "busybox", "sleep", "300").Ok("docker run -d over TLS");
        var exec = Commands.Run("docker", ["--tlsverify", "-H", _daemon.TcpHost, "exec", "-i", "tls-exec", "sh", "-c", "read line; echo got:$line"],
            stdin: "ping\n", environment: new Dictionary<string, string> { ["DOCKER_CERT_PATH"] = client });
        Assert.Equal("got:ping", exec.Ok("docker exec -i over TLS").Output);
        _daemon.DockerTls(client, "rm", "-f", "tls-exec").Ok("docker rm over TLS");
    }

    [PrivilegedFact]
    public void A_client_without_a_certificate_is_refused_in_the_handshake()
    {
        var result = _daemon.DockerTls(Path.Combine(_daemon.Certificates.FullName, "anonymous"), "version", "--format", "{{.Server.APIVersion}}");
        Refused(result);
    }

    [PrivilegedFact]
    public void A_client_certificate_from_another_ca_is_refused_in_the_handshake()
    {
        var result = _daemon.DockerTls(Path.Combine(_daemon.Certificates.FullName, "stranger"), "version", "--format", "{{.Server.APIVersion}}");
        Refused(result);
    }

    /// <summary>
    /// The server ends the TLS session before any HTTP is read (with TLS 1.3 the client learns it at its first read, as
    /// EOF), so the request never reaches the API: the daemon logs no request for it.
    /// </summary>
    private void Refused(CommandResult result)
    {
        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches("EOF|tls: |connection reset", result.Stderr);
        Assert.DoesNotContain("1.44", result.Stdout);
    }

    [PrivilegedFact]
    public void Plain_http_on_the_tls_port_gets_no_answer()
    {
        var result = Commands.Run("docker", ["-H", _daemon.TcpHost, "version", "--format", "{{.Server.APIVersion}}"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("1.44", result.Stdout);
    }
}
