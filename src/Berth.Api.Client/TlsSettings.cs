using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Api.Client;

/// <summary>
/// TLS to a <c>tcp://</c> daemon as docker's client does it: with <see cref="Verify"/> the server's certificate must
/// chain to <see cref="CaFile"/> (the system's roots when none) and name the host; without it any certificate is
/// taken (<c>--tls</c> alone). <see cref="CertFile"/>/<see cref="KeyFile"/> are the client's certificate for
/// daemons that ask for one (mutual TLS). Paths are PEM files.
/// </summary>
public sealed record TlsSettings(string? CaFile, string? CertFile, string? KeyFile, bool Verify)
{
    internal async Task<SslStream> AuthenticateAsync(Stream inner, string host, CancellationToken cancellationToken)
    {
        var roots = Verify && !string.IsNullOrEmpty(CaFile) ? ReadCa(CaFile) : null;
        var clientCertificates = new X509CertificateCollection();
        if (!string.IsNullOrEmpty(CertFile) || !string.IsNullOrEmpty(KeyFile))
            clientCertificates.Add(ReadKeyPair(CertFile ?? "", KeyFile ?? ""));
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ClientCertificates = clientCertificates,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Accept(certificate, errors, roots),
            }, cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private bool Accept(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? roots)
    {
        if (!Verify)
            return true;
        if (roots is null)
            return errors == SslPolicyErrors.None;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    private static X509Certificate2Collection ReadCa(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new TlsConfigurationException($"Could not read CA certificate \"{path}\": {e.Message}");
        }
        return roots.Count > 0 ? roots : throw new TlsConfigurationException($"failed to append certificates from PEM file: \"{path}\"");
    }

    private static X509Certificate2 ReadKeyPair(string certFile, string keyFile)
    {
        if (certFile.Length == 0 || keyFile.Length == 0)
            throw new TlsConfigurationException("Both cert and key must be provided");
        try
        {
            return X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new TlsConfigurationException($"Could not load X509 key pair: {e.Message}");
        }
    }
}

/// <summary>The client's TLS files could not be used; nothing was sent.</summary>
public sealed class TlsConfigurationException(string message) : Exception(message);
