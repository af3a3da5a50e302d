using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Testing;

namespace Berth.EndToEnd.Tests.Daemon;

/// <summary>berthd with <c>--registry 127.0.0.1:PORT</c> served over HTTPS with Basic auth from a bcrypt htpasswd file.</summary>
public sealed class SecuredRegistryDaemon : DaemonProcess, IDisposable
{
    public const string User = "berth", Password = "s3cret-registry";

    private SecuredRegistryDaemon(string certificates, int port)
        : base(["--registry", $"127.0.0.1:{port}", .. RegistryArguments(certificates)])
    {
        Certificates = certificates;
        Registry = new Uri($"https://127.0.0.1:{port}");
    }

    public SecuredRegistryDaemon() : this(System.IO.Directory.CreateTempSubdirectory("berthd-registry-certs-").FullName, FreePort()) { }

    /// <summary>The server's ca.pem, cert.pem (for 127.0.0.1) and key.pem, and the htpasswd file.</summary>
    public string Certificates { get; }

    public Uri Registry { get; }

    private static string[] RegistryArguments(string directory)
    {
        var server = new TestCertificates(directory).Server;
        var htpasswd = Path.Combine(directory, "htpasswd");
        File.WriteAllText(htpasswd, $"{User}:{BCrypt.Net.BCrypt.HashPassword(Password, 5)}\n");
        return ["--registry-tls-cert", Path.Combine(server, "cert.pem"), "--registry-tls-key", Path.Combine(server, "key.pem"), "--registry-htpasswd", htpasswd];
    }

    /// <summary>An HTTPS client of the registry that trusts the test CA (and nothing else).</summary>
    public HttpClient Client()
    {
        var authority = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Certificates, "server", "ca.pem"));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is not X509Certificate2 server) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(server);
        };
        return new HttpClient(handler) { BaseAddress = Registry };
    }

    public new void Dispose()
    {
        base.Dispose();
        System.IO.Directory.Delete(Certificates, recursive: true);
    }
}

public sealed class SecuredRegistryTests : IClassFixture<SecuredRegistryDaemon>
{
    private readonly SecuredRegistryDaemon _daemon;

    public SecuredRegistryTests(SecuredRegistryDaemon daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
    }

    [PrivilegedFact]
    public async Task The_registry_answers_over_https_and_only_with_the_htpasswd_credentials()
    {
        using var http = _daemon.Client();

        using var anonymous = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v2/") { Headers = { Authorization = Basic(SecuredRegistryDaemon.User, "wrong") } };
        using var rejected = await http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/v2/") { Headers = { Authorization = Basic(SecuredRegistryDaemon.User, SecuredRegistryDaemon.Password) } };
        using var served = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
