using Berth.Testing;

namespace Berth.EndToEnd.Tests.Daemon;

/// <summary>Our CLI against berthd over TCP with mutual TLS, as the docker CLI goes there (<c>--tlsverify</c>, <c>DOCKER_CERT_PATH</c>).</summary>
public sealed class BerthTlsTests : IClassFixture<TlsDaemon>
{
    private readonly TlsDaemon _daemon;

    public BerthTlsTests(TlsDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    private CommandResult BerthTls(string certificates, params string[] args) =>
        Commands.Run(RepoPaths.Cli, ["--tlsverify", "-H", _daemon.TcpHost, .. args],
            environment: new Dictionary<string, string> { ["DOCKER_CERT_PATH"] = Path.Combine(_daemon.Certificates.FullName, certificates) });

    [PrivilegedFact]
    public void Berth_with_a_client_certificate_from_the_ca_runs_and_execs_over_tls()
    {
        Assert.Equal("1.44", BerthTls("client", "version", "--format", "{{.Server.APIVersion}}").Ok("version over TLS").Output);
        Assert.Equal("over tls", BerthTls("client", "run", "--rm", "busybox", "echo", "over tls").Ok("run over TLS").Output);
        var id = BerthTls("client", "run", "-d", "busybox", "sleep", "60").Ok("run -d over TLS").Output;
        Assert.Equal("exec", BerthTls("client", "exec", id, "echo", "exec").Ok("exec over TLS").Output);
        BerthTls("client", "rm", "-f", id).Ok("rm -f over TLS");
    }

    [PrivilegedFact]
    public void Berth_without_a_certificate_of_the_ca_is_refused()
    {
        Assert.NotEqual(0, BerthTls("anonymous", "version").ExitCode);
        Assert.NotEqual(0, BerthTls("stranger", "version").ExitCode);
    }
}
