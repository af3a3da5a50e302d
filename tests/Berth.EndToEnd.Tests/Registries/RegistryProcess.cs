using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Testing;

namespace Berth.EndToEnd.Tests.Registries;

/// <summary>
/// A registry server on 127.0.0.1 for one test class: ours (<c>berth-registry serve</c>) or Debian's reference
/// registry (<c>docker-registry</c> 2.8). Its files live in a temp directory; disposing kills it and removes them.
/// </summary>
public sealed class RegistryProcess : IDisposable
{
    public const string User = "alice";
    public const string Password = "wonderland";

    private readonly Process _process;

    private RegistryProcess(string address, string directory, string file, IEnumerable<string> args)
    {
        Address = address;
        Directory = directory;
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var port = int.Parse(address.Split(':')[1]);
        for (var attempt = 0; attempt < 100 && !Listening(port); attempt++) Thread.Sleep(100);
        if (!Listening(port)) throw new InvalidOperationException($"{file} did not listen on {address}");
    }

    /// <summary><c>host:port</c>, as image references name the registry.</summary>
    public string Address { get; }

    public string Directory { get; }

    /// <summary>With token auth: the PEM certificate of the key this registry's <c>/token</c> signs with, and the service it signs for.</summary>
    public string? TokenCertificate { get; private init; }

    public string? TokenService { get; private init; }

    /// <summary>
    /// <c>berth-registry serve</c> in memory; <paramref name="auth"/> adds htpasswd Basic auth, or token auth served by
    /// itself for <paramref name="service"/> (its own address by default; another registry's name when it issues that
    /// registry's tokens).
    /// </summary>
    public static RegistryProcess Berth(string? address = null, RegistryAuthMode auth = RegistryAuthMode.None, string? service = null)
    {
        address ??= $"127.0.0.1:{DaemonProcess.FreePort()}";
        service ??= address;
        var directory = System.IO.Directory.CreateTempSubdirectory("berth-registry-").FullName;
        List<string> args = ["serve", "--addr", address, "--storage", "inmemory", "--log-level", "Warning"];
        if (auth != RegistryAuthMode.None) args.AddRange(["--htpasswd", WriteHtpasswd(directory)]);
        string? certificate = null;
        if (auth == RegistryAuthMode.Token)
        {
            var key = Path.Combine(directory, "token.pem");
            certificate = Path.Combine(directory, "token.crt");
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            File.WriteAllText(key, ec.ExportPkcs8PrivateKeyPem());
            var request = new CertificateRequest("CN=berth-tests token signer", ec, HashAlgorithmName.SHA256);
            using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(certificate, self.ExportCertificatePem());
            args.AddRange(["--auth-token-realm", $"http://{address}/token", "--auth-token-key", key, "--auth-token-service", service]);
        }
        return new RegistryProcess(address, directory, RepoPaths.Registry, args)
        {
            TokenCertificate = certificate, TokenService = auth == RegistryAuthMode.Token ? service : null,
        };
    }

    /// <summary>
    /// Debian's <c>docker-registry</c> (distribution 2.8) with filesystem storage: htpasswd Basic auth, or, given a
    /// token-auth <paramref name="tokenIssuer"/>, Docker's token auth with its tokens (issuer <c>berth-registry</c>).
    /// </summary>
    public static RegistryProcess Reference(RegistryProcess? tokenIssuer = null)
    {
        var address = $"127.0.0.1:{DaemonProcess.FreePort()}";
        var directory = System.IO.Directory.CreateTempSubdirectory("docker-registry-").FullName;
        var auth = tokenIssuer is null
            ? $"""
                htpasswd:
                    realm: berth-tests
                    path: {WriteHtpasswd(directory)}
              """
            : $"""
                token:
                    realm: http://{tokenIssuer.Address}/token
                    service: {tokenIssuer.TokenService}
                    issuer: berth-registry
                    rootcertbundle: {tokenIssuer.TokenCertificate}
              """;
        var config = Path.Combine(directory, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory, "data")}
              delete:
                enabled: true
            http:
              addr: {address}
            auth:
            {auth}
            """);
        return new RegistryProcess(address, directory, "/usr/bin/docker-registry", ["serve", config]);
    }

    private static string WriteHtpasswd(string directory)
    {
        var path = Path.Combine(directory, "htpasswd");
        File.WriteAllText(path, $"{User}:{BCrypt.Net.BCrypt.HashPassword(Password, 5)}\n");
        return path;
    }

    private static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

public enum RegistryAuthMode
{
    None,
    Basic,
    Token,
}
