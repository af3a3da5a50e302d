using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Berth.Daemon.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Berth.Daemon;

/// <summary>
/// The TLS of the API's TCP listeners, as dockerd's: the server's certificate and key from PEM files, and with
/// <c>--tlsverify</c> a client certificate signed by <c>--tlscacert</c> required during the handshake; a client
/// without one, or with one from another CA, never gets to send a request.
/// </summary>
internal static class ServerTls
{
    public static HttpsConnectionAdapterOptions Options(TlsSettings tls)
    {
        X509Certificate2 certificate;
        X509Certificate2Collection authorities = [];
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile);
            if (tls.CaFile is not null) authorities.ImportFromPemFile(tls.CaFile);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
        {
            throw new ConfigurationException($"invalid TLS configuration: {e.Message}");
        }
        if (tls.CaFile is not null && authorities.Count == 0)
            throw new ConfigurationException($"invalid TLS configuration: failed to append certificates from PEM file: \"{tls.CaFile}\"");
        var options = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CheckCertificateRevocation = false,
        };
        if (tls.Verify)
        {
            options.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            options.ClientCertificateValidation = (client, _, _) => SignedBy(client, authorities);
        }
        return options;
    }

    /// <summary>Whether <paramref name="client"/> chains to one of <paramref name="authorities"/> and may authenticate a client.</summary>
    internal static bool SignedBy(X509Certificate2 client, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")); // clientAuth, as Go checks
        return chain.Build(client);
    }
}
