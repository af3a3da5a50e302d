using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Api.Client;

namespace Berth.Cli.Tests.Client;

/// <summary>The client's mutual TLS against a listener made here, with certificates made here.</summary>
public sealed class TlsClientTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-tls-").FullName;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _ca = Authority("berth test CA");
    private readonly CancellationTokenSource _stop = new();
    private Task? _serving;

    private string Host => $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name, bool server)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    private string WritePem(string file, X509Certificate2 certificate, bool withKey = false)
    {
        var path = Path.Combine(_directory, file);
        File.WriteAllText(path, withKey ? certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() : certificate.ExportCertificatePem());
        return path;
    }

    /// <summary>Serves TLS that asks for a client certificate signed by <see cref="_ca"/>; answers every request with a version.</summary>
    private void Serve(X509Certificate2 serverCertificate)
    {
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return; // stopped
                }
                _ = AnswerAsync(client, serverCertificate);
            }
        });
    }

    private async Task AnswerAsync(TcpClient client, X509Certificate2 serverCertificate)
    {
        using var _ = client;
        await using var tls = new SslStream(client.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = serverCertificate,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && SignedByCa(certificate),
            });
            var head = new byte[4096];
            await tls.ReadAtLeastAsync(head, 4, throwOnEndOfStream: false);
            var body = "{\"Version\":\"tls-ok\",\"ApiVersion\":\"1.44\"}";
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            // A refused handshake: the client sees it.
        }
    }

    private bool SignedByCa(X509Certificate certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    [Fact]
    public async Task Mutual_tls_with_the_ca_and_a_client_certificate_works()
    {
        Serve(Issue(_ca, "daemon", server: true));
        var client = Issue(_ca, "client", server: false);
        using var berth = new BerthClient(DaemonEndpoint.Parse(Host,
            new TlsSettings(WritePem("ca.pem", _ca), WritePem("cert.pem", client), WritePem("key.pem", client, withKey: true), Verify: true)));
        Assert.Equal("tls-ok", (await berth.VersionAsync()).Version);
    }

    [Fact]
    public async Task The_daemon_refuses_a_client_without_a_certificate()
    {
        Serve(Issue(_ca, "daemon", server: true));
        using var berth = new BerthClient(DaemonEndpoint.Parse(Host, new TlsSettings(WritePem("ca.pem", _ca), null, null, Verify: true)));
        await Assert.ThrowsAnyAsync<Exception>(() => berth.VersionAsync());
    }

    [Fact]
    public async Task The_client_refuses_a_daemon_signed_by_another_ca_unless_told_not_to_verify()
    {
        var other = Authority("someone else");
        Serve(Issue(other, "daemon", server: true));
        var client = Issue(_ca, "client", server: false);
        var (cert, key) = (WritePem("cert.pem", client), WritePem("key.pem", client, withKey: true));
        using var verifying = new BerthClient(DaemonEndpoint.Parse(Host, new TlsSettings(WritePem("ca.pem", _ca), cert, key, Verify: true)));
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => verifying.VersionAsync());
        Assert.IsType<AuthenticationException>(refused.InnerException ?? refused, exactMatch: false);
        using var trusting = new BerthClient(DaemonEndpoint.Parse(Host, new TlsSettings(null, cert, key, Verify: false)));
        Assert.Equal("tls-ok", (await trusting.VersionAsync()).Version);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xunit 2 calls IAsyncLifetime's, not IAsyncDisposable's: the certificates' directory goes here.</summary>
    public async Task DisposeAsync()
    {
        try
        {
            await _stop.CancelAsync();
            _listener.Stop();
            if (_serving is not null)
                await _serving;
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
