using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Registry;
using Microsoft.AspNetCore.Builder;

namespace Berth.Distribution.Tests;

/// <summary>A <c>berth-registry serve</c> on 127.0.0.1 with an ephemeral port and a temp data root, removed on dispose.</summary>
public sealed class TestRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly string? _tls;

    private TestRegistry(WebApplication app, string root, HttpClient client, string? tls)
    {
        _app = app;
        Root = root;
        Client = client;
        _tls = tls;
    }

    public string Root { get; }

    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public static Task<TestRegistry> StartAsync(params string[] extraArgs) => StartAsync(null, extraArgs);

    /// <summary>Serving HTTPS with a self-signed certificate for 127.0.0.1 (the test client does not check it).</summary>
    public static Task<TestRegistry> StartTlsAsync()
    {
        var tls = Directory.CreateTempSubdirectory("berth-tls-").FullName;
        var (certificate, key) = WriteSelfSignedCertificate(tls);
        return StartAsync(tls, ["--tls-cert", certificate, "--tls-key", key]);
    }

    private static async Task<TestRegistry> StartAsync(string? tls, string[] extraArgs)
    {
        var root = Path.Combine(Path.GetTempPath(), "berth-registry-test-" + Guid.NewGuid().ToString("N"));
        string[] args = ["--addr", "127.0.0.1:0", "--root", root, "--log-level", "Warning", .. extraArgs];
        var line = CommandLine.Parse(args, ServeCommand.Options, ServeCommand.Flags);
        var app = ServeCommand.Build(line);
        await app.StartAsync();
        var url = app.Urls.First();
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        var client = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        return new TestRegistry(app, root, client, tls);
    }

    /// <summary>A self-signed certificate for 127.0.0.1 and its key, as PEM files in <paramref name="directory"/>.</summary>
    private static (string Certificate, string Key) WriteSelfSignedCertificate(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var paths = (Path.Combine(directory, "cert.pem"), Path.Combine(directory, "key.pem"));
        File.WriteAllText(paths.Item1, certificate.ExportCertificatePem());
        File.WriteAllText(paths.Item2, key.ExportPkcs8PrivateKeyPem());
        return paths;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        if (_tls is not null) Directory.Delete(_tls, recursive: true);
    }

    /// <summary>Pushes a blob monolithically (POST ?digest=) and returns its digest.</summary>
    public async Task<string> PushBlobAsync(string name, byte[] content)
    {
        var digest = Sha256(content);
        using var response = await Client.PostAsync($"/v2/{name}/blobs/uploads/?digest={digest}", new ByteArrayContent(content));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return digest;
    }

    /// <summary>Pushes a config and one layer, then an image manifest of <paramref name="mediaType"/>; returns the manifest bytes and digest.</summary>
    public async Task<(byte[] Manifest, string Digest)> PushImageAsync(string name, string tag, string layerText = "layer", string mediaType = Manifests.Oci)
    {
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        var layer = Encoding.UTF8.GetBytes(layerText);
        await PushBlobAsync(name, config);
        await PushBlobAsync(name, layer);
        var manifest = Manifests.Image(mediaType, config, layer);
        var digest = await PutManifestAsync(name, tag, manifest, mediaType);
        return (manifest, digest);
    }

    public async Task<string> PutManifestAsync(string name, string reference, byte[] manifest, string mediaType)
    {
        using var response = await PutManifestRawAsync(name, reference, manifest, mediaType);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    public Task<HttpResponseMessage> PutManifestRawAsync(string name, string reference, byte[] manifest, string mediaType)
    {
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return Client.PutAsync($"/v2/{name}/manifests/{reference}", content);
    }

    public static string Sha256(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The first error code of a spec error body.</summary>
    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
    }
}

/// <summary>Manifest documents for tests, built by hand so their bytes are exactly what the test says.</summary>
public static class Manifests
{
    public const string Oci = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string Docker = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerList = "application/vnd.docker.distribution.manifest.list.v2+json";

    public static byte[] Image(string mediaType, byte[] config, byte[] layer, string? extra = null) => Encoding.UTF8.GetBytes(
        $$"""
        {
          "schemaVersion": 2,
          "mediaType": "{{mediaType}}",
          "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "{{TestRegistry.Sha256(config)}}", "size": {{config.Length}}},
          "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "{{TestRegistry.Sha256(layer)}}", "size": {{layer.Length}}}]{{extra}}
        }
        """);

    public static byte[] Index(string mediaType, params (string Digest, int Size)[] children)
    {
        var entries = children.Select(c =>
            "{\"mediaType\": \"" + Oci + "\", \"digest\": \"" + c.Digest + "\", \"size\": " + c.Size +
            ", \"platform\": {\"architecture\": \"amd64\", \"os\": \"linux\"}}");
        return Encoding.UTF8.GetBytes(
            "{\"schemaVersion\": 2, \"mediaType\": \"" + mediaType + "\", \"manifests\": [" + string.Join(",", entries) + "]}");
    }

    /// <summary>An artifact manifest (empty config) whose subject is <paramref name="subjectDigest"/>.</summary>
    public static byte[] Artifact(string artifactType, string subjectDigest, int subjectSize, byte[] emptyConfig, byte[] layer) => Encoding.UTF8.GetBytes(
        $$"""
        {
          "schemaVersion": 2,
          "mediaType": "{{Oci}}",
          "artifactType": "{{artifactType}}",
          "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "{{TestRegistry.Sha256(emptyConfig)}}", "size": {{emptyConfig.Length}}},
          "layers": [{"mediaType": "text/plain", "digest": "{{TestRegistry.Sha256(layer)}}", "size": {{layer.Length}}}],
          "subject": {"mediaType": "{{Oci}}", "digest": "{{subjectDigest}}", "size": {{subjectSize}}},
          "annotations": {"org.example.kind": "{{artifactType}}"}
        }
        """);
}
