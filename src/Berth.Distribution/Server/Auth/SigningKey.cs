using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Distribution.Server.Auth;

/// <summary>
/// The token key: EC P-256 (ES256) or RSA (RS256), from a PEM file holding a private key (sign and verify),
/// a public key or a certificate (verify only).
/// </summary>
public sealed class SigningKey : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private SigningKey(ECDsa? ec, RSA? rsa, bool canSign)
    {
        _ec = ec;
        _rsa = rsa;
        CanSign = canSign;
        var spki = ec?.ExportSubjectPublicKeyInfo() ?? rsa!.ExportSubjectPublicKeyInfo();
        KeyId = Convert.ToHexStringLower(SHA256.HashData(spki))[..32];
    }

    public string Algorithm => _ec is not null ? "ES256" : "RS256";

    public bool CanSign { get; }

    /// <summary>A stable id for the key (<c>kid</c>): the start of the SHA-256 of its public key.</summary>
    public string KeyId { get; }

    public static SigningKey Load(string path) => FromPem(File.ReadAllText(path));

    public static SigningKey FromPem(string pem)
    {
        var canSign = pem.Contains("PRIVATE KEY", StringComparison.Ordinal);
        if (pem.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal) && !canSign)
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            var ecKey = certificate.GetECDsaPublicKey();
            return ecKey is not null ? new SigningKey(ecKey, null, false) : new SigningKey(null, certificate.GetRSAPublicKey(), false);
        }
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ec.Dispose();
            ec = null;
        }
        if (ec is not null)
        {
            if (ec.KeySize == 256) return new SigningKey(ec, null, canSign);
            ec.Dispose();
            throw new CryptographicException("only P-256 EC keys are supported (ES256)");
        }
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new SigningKey(null, rsa, canSign);
    }

    public static SigningKey CreateEphemeral() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null, true);

    public byte[] Sign(byte[] data) => _ec is not null
        ? _ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
        : _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public bool Verify(byte[] data, byte[] signature) => _ec is not null
        ? _ec.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
        : _rsa!.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }
}
