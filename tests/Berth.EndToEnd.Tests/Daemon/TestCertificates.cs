using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.EndToEnd.Tests.Daemon;

/// <summary>
/// A CA, a server certificate for 127.0.0.1 and a client certificate, made with .NET's own APIs and written as PEM in
/// the layout <c>DOCKER_CERT_PATH</c> expects (<c>ca.pem</c>, <c>cert.pem</c>, <c>key.pem</c>); plus a client of another
/// CA, which the daemon must refuse.
/// </summary>
public sealed class TestCertificates
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1"), ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>The server's files: ca.pem, cert.pem (127.0.0.1), key.pem.</summary>
    public string Server { get; }

    /// <summary>A client signed by the daemon's CA.</summary>
    public string Client { get; }

    /// <summary>A client signed by another CA (its ca.pem is the daemon's CA, so it trusts the server).</summary>
    public string Stranger { get; }

    /// <summary>No client certificate at all, only the CA to trust the server with.</summary>
    public string Anonymous { get; }

    public TestCertificates(string directory)
    {
        using var ca = Authority("berth e2e CA");
        using var other = Authority("another CA");
        Server = Write(directory, "server", ca, Issue(ca, "127.0.0.1", ServerAuth));
        Client = Write(directory, "client", ca, Issue(ca, "client", ClientAuth));
        Stranger = Write(directory, "stranger", ca, Issue(other, "client", ClientAuth));
        Anonymous = Directory.CreateDirectory(Path.Combine(directory, "anonymous")).FullName;
        File.WriteAllText(Path.Combine(Anonymous, "ca.pem"), ca.ExportCertificatePem());
    }

    public string[] DaemonArguments => ["--tlsverify", "--tlscacert", Path.Combine(Server, "ca.pem"),
        "--tlscert", Path.Combine(Server, "cert.pem"), "--tlskey", Path.Combine(Server, "key.pem")];

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }

    private static (X509Certificate2 Certificate, ECDsa Key) Issue(X509Certificate2 ca, string name, Oid usage)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        if (usage.Value == ServerAuth.Value)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7f;
        return (request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), serial), key);
    }

    private static string Write(string directory, string name, X509Certificate2 ca, (X509Certificate2 Certificate, ECDsa Key) issued)
    {
        var dir = Directory.CreateDirectory(Path.Combine(directory, name)).FullName;
        File.WriteAllText(Path.Combine(dir, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "cert.pem"), issued.Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "key.pem"), issued.Key.ExportPkcs8PrivateKeyPem());
        issued.Certificate.Dispose();
        issued.Key.Dispose();
        return dir;
    }
}
