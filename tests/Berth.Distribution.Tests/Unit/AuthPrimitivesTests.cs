using System.Security.Cryptography;
using Berth.Distribution.Server.Auth;

namespace Berth.Distribution.Tests.Unit;

public sealed class AuthPrimitivesTests
{
    private static JwtClaims Claims() => new("iss", "alice", "svc", 2_000_000_000, 0, 0, "id",
        [new ResourceActions("repository", "a/b", ["pull", "push"])]);

    [Fact]
    public void Es256TokensRoundTrip()
    {
        using var key = SigningKey.CreateEphemeral();
        var claims = Jwt.Verify(Jwt.Sign(Claims(), key), key);
        Assert.NotNull(claims);
        Assert.Equal(["pull", "push"], claims.Access.Single().Actions);
    }

    [Fact]
    public void Rs256KeysLoadFromPemAndVerify()
    {
        using var rsa = RSA.Create(2048);
        using var key = SigningKey.FromPem(rsa.ExportPkcs8PrivateKeyPem());
        Assert.Equal("RS256", key.Algorithm);
        Assert.True(key.CanSign);
        using var publicOnly = SigningKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem());
        Assert.False(publicOnly.CanSign);
        Assert.NotNull(Jwt.Verify(Jwt.Sign(Claims(), key), publicOnly));
    }

    [Fact]
    public void TheKeyIdIsLibtrustsFingerprintSoDockersRegistryFindsTheKey()
    {
        // the id Go's sha256 + base32 give for this key, as docker-registry's token verifier computes it
        using var key = SigningKey.FromPem("""
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAELzm62lSWe149/RPJ6NMTD/KuBJ8F
            uSDObEmqs5hFUyktXLGNLI4/WJxhEi6wxU5+MqWGXFoZHpMYhhOfxvG1Ww==
            -----END PUBLIC KEY-----
            """);
        Assert.Equal("DB7R:L4KD:T4IV:7Q25:OZ5E:PTMZ:5BJR:SJBO:URDQ:WJKD:UGMY:KD2H", key.KeyId);
    }

    [Fact]
    public void TokensFromAnotherKeyOrAlgorithmAreRejected()
    {
        using var mine = SigningKey.CreateEphemeral();
        using var theirs = SigningKey.CreateEphemeral();
        Assert.Null(Jwt.Verify(Jwt.Sign(Claims(), theirs), mine));
        using var rsa = SigningKey.FromPem(RSA.Create(2048).ExportPkcs8PrivateKeyPem());
        Assert.Null(Jwt.Verify(Jwt.Sign(Claims(), rsa), mine));
        Assert.Null(Jwt.Verify("not.a.token", mine));
        Assert.Null(Jwt.Verify("garbage", mine));
    }

    [Fact]
    public void HtpasswdAcceptsOnlyTheRightBcryptPassword()
    {
        var htpasswd = Htpasswd.Parse(["# comment", "", $"bob:{BCrypt.Net.BCrypt.HashPassword("secret", 4)}"]);
        Assert.True(htpasswd.Verify("bob", "secret"));
        Assert.True(htpasswd.Verify("bob", "secret")); // remembered
        Assert.False(htpasswd.Verify("bob", "Secret"));
        Assert.False(htpasswd.Verify("eve", "secret"));
    }

    [Theory]
    [InlineData("bob:{SHA}abc")]
    [InlineData("bob:$apr1$abc")]
    [InlineData("no-colon")]
    public void HtpasswdRefusesNonBcryptEntries(string line) =>
        Assert.Throws<InvalidDataException>(() => Htpasswd.Parse([line]));

    [Fact]
    public void BasicCredentialsDecode()
    {
        Assert.Equal(("u", "p:w"), Htpasswd.ParseBasic("Basic " + Convert.ToBase64String("u:p:w"u8.ToArray())));
        Assert.Null(Htpasswd.ParseBasic("Bearer x"));
        Assert.Null(Htpasswd.ParseBasic("Basic !!!"));
    }
}
