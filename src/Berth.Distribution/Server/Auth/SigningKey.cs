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
        KeyId = Fingerprint(ec?.ExportSubjectPublicKeyInfo() ?? rsa!.ExportSubjectPublicKeyInfo());
    }

    public string Algorithm => _ec is not null ? "ES256" : "RS256";

    public bool CanSign { get; }

    /// <summary>
    /// The key's <c>kid</c>, in the form Docker's reference registry looks trusted keys up by (libtrust's key id): the
    /// first 240 bits of the SHA-256 of its DER public key, base32, in twelve groups of four joined by ':'. So a
    /// docker-registry whose <c>rootcertbundle</c> holds a certificate for this key accepts our tokens.
    /// </summary>
    public string KeyId { get; }

    private static string Fingerprint(byte[] subjectPublicKeyInfo)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = SHA256.HashData(subjectPublicKeyInfo).AsSpan(0, 30);
        var id = new global::System.Text.StringBuilder(59);
        for (var i = 0; i < bits.Length * 8 / 5; i++)
        {
            var bit = i * 5;
            var pair = (bits[bit / 8] << 8) | (bit / 8 + 1 < bits.Length ? bits[bit / 8 + 1] : 0);
            if (i > 0 && i % 4 == 0) id.Append(':');
            id.Append(alphabet[(pair >> (11 - bit % 8)) & 31]);
        }
        return id.ToString();
    }

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
