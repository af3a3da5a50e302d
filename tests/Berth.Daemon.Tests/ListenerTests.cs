using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Daemon.Configuration;

namespace Berth.Daemon.Tests;

/// <summary>The pieces under the listeners: systemd's descriptors, the socket group, the client certificate check.</summary>
public sealed class ListenerTests
{
    [Fact]
    public void Socket_activation_hands_over_systemds_descriptors_only_to_the_process_they_are_for()
    {
        Assert.Equal([3, 4], SocketActivation.Descriptors(new FdHost(null), "42", "2", pid: 42));
        Assert.Equal([4], SocketActivation.Descriptors(new FdHost(4), "42", "2", pid: 42));
        Assert.Throws<ConfigurationException>(() => SocketActivation.Descriptors(new FdHost(5), "42", "2", pid: 42));
        var e = Assert.Throws<ConfigurationException>(() => SocketActivation.Descriptors(new FdHost(null), "41", "2", pid: 42));
        Assert.Equal("no sockets found via socket activation: make sure the service was started by systemd", e.Message);
    }

    [Fact]
    public void The_socket_group_is_a_name_in_the_group_file_or_a_number()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["root:x:0:", "berth:x:997:alice,bob"]);
            Assert.Equal(997u, SocketGroup.Lookup("berth", file));
            Assert.Equal(1234u, SocketGroup.Lookup("1234", file));
            Assert.Null(SocketGroup.Lookup("docker", file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_client_certificate_must_chain_to_the_configured_ca()
    {
        using var ca = Authority("Berth test CA");
        using var other = Authority("Another CA");
        using var client = Issue(ca, "client");
        using var stranger = Issue(other, "client");

        Assert.True(ServerTls.SignedBy(client, [ca]));
        Assert.False(ServerTls.SignedBy(stranger, [ca]));
        Assert.False(ServerTls.SignedBy(ca, [other]));
    }

    private static X509Certificate2 Authority(string name)
    {
        var request = new CertificateRequest($"CN={name}", ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string name)
    {
        var request = new CertificateRequest($"CN={name}", ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3, 4]);
    }
}
