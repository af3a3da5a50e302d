using System.IO.Compression;
using System.Net;
using System.Text;
using Berth.Distribution.Client;
using Berth.Distribution.Server;
using Berth.Distribution.Server.Http;
using Berth.Distribution.Storage;
using Berth.Oci.Image;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Images.Tests.Pull;

/// <summary>A Berth registry in this process on 127.0.0.1 (in-memory storage), optionally with htpasswd Basic or token auth.</summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    public const string User = "alice";
    public const string Password = "wonderland";

    private readonly WebApplication _app;
    private readonly string? _htpasswd;

    private LocalRegistry(WebApplication app, InMemoryDriver driver, string? htpasswd)
    {
        _app = app;
        Driver = driver;
        _htpasswd = htpasswd;
        Domain = new Uri(app.Urls.First()).Authority;
    }

    public InMemoryDriver Driver { get; }

    /// <summary><c>127.0.0.1:&lt;port&gt;</c>: the domain of references to this registry.</summary>
    public string Domain { get; }

    public static RegistryCredentials Right => new(User, Password);

    public static async Task<LocalRegistry> StartAsync(bool basic = false, bool token = false)
    {
        string? htpasswd = null;
        if (basic || token)
        {
            htpasswd = Path.Combine(Path.GetTempPath(), "berth-pull-htpasswd-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(htpasswd, $"{User}:{BCrypt.Net.BCrypt.HashPassword(Password, 4)}\n");
        }
        var tokenOptions = token ? new TokenAuthOptions { Realm = "http://127.0.0.1/token", Service = "berth-test", Issuer = "berth-test" } : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var driver = new InMemoryDriver();
        builder.Services.AddBerthRegistry(new RegistryOptions { HtpasswdPath = htpasswd, Token = tokenOptions }, driver);
        var app = builder.Build();
        app.MapBerthRegistry();
        await app.StartAsync();
        if (tokenOptions is not null) tokenOptions.Realm = app.Urls.First() + "/token"; // the port is known only now
        return new LocalRegistry(app, driver, htpasswd);
    }

    public string Ref(string pathAndTag) => $"{Domain}/{pathAndTag}";

    /// <summary>Overwrites a stored blob with other bytes of the same length, as a corrupt disk would.</summary>
    public async Task CorruptBlobAsync(Digest digest)
    {
        var path = RegistryPaths.BlobData(digest);
        var bytes = await Driver.GetContentAsync(path);
        bytes[^1] ^= 0xff;
        await Driver.PutContentAsync(path, bytes);
    }

    /// <summary>
    /// Pushes an image built by hand (gzip layers, a config for <paramref name="architecture"/>) with the client, under
    /// <paramref name="reference"/> (a tag, or null for by-digest only); returns the manifest descriptor and the config digest.
    /// </summary>
    public Task<(Descriptor Manifest, Digest Config)> PushHandmadeAsync(
        RegistryClient client, string path, string? reference, string architecture, params byte[][] layerTars) =>
        PushHandmadeAsync(client, path, reference, architecture, [.. layerTars.Select(t => (t, Digest.Sha256(t)))]);

    /// <summary>As above, with the diff id the config claims for each layer (a wrong one makes a bad image).</summary>
    public async Task<(Descriptor Manifest, Digest Config)> PushHandmadeAsync(
        RegistryClient client, string path, string? reference, string architecture, IReadOnlyList<(byte[] Tar, Digest DiffId)> layerTars)
    {
        var repository = client.Repository(ImageReference.Parse(Ref(path)), Right, push: true);
        var layers = new StringBuilder();
        var diffIds = new List<string>();
        foreach (var (tar, diffId) in layerTars)
        {
            var gz = Gzip(tar);
            var digest = Digest.Sha256(gz);
            await repository.UploadBlobAsync(digest, gz.Length, new MemoryStream(gz));
            layers.Append(layers.Length > 0 ? "," : "").Append($$"""{"mediaType":"{{MediaTypes.DockerLayerGzip}}","digest":"{{digest}}","size":{{gz.Length}}}""");
            diffIds.Add($"\"{diffId}\"");
        }
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"{{{architecture}}}","os":"linux","created":"2024-01-02T03:04:05Z","rootfs":{"type":"layers","diff_ids":[{{{string.Join(",", diffIds)}}}]}}""");
        var configDigest = Digest.Sha256(config);
        await repository.UploadBlobAsync(configDigest, config.Length, new MemoryStream(config));
        var manifest = Encoding.UTF8.GetBytes($$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.DockerManifest}}}","config":{"mediaType":"{{{MediaTypes.DockerConfig}}}","digest":"{{{configDigest}}}","size":{{{config.Length}}}},"layers":[{{{layers}}}]}""");
        var manifestDigest = await repository.PutManifestAsync(reference ?? Digest.Sha256(manifest).ToString(), MediaTypes.DockerManifest, manifest);
        return (new Descriptor { MediaType = MediaTypes.DockerManifest, Digest = manifestDigest.ToString(), Size = manifest.Length }, configDigest);
    }

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_htpasswd is not null) File.Delete(_htpasswd);
    }
}

/// <summary>Records progress synchronously, in order (<see cref="Progress{T}"/> would post to the pool and reorder).</summary>
public sealed class Recorder<T>(Action<T>? onReport = null) : IProgress<T>
{
    private readonly List<T> _items = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_items) return [.. _items];
        }
    }

    public void Report(T value)
    {
        lock (_items) _items.Add(value);
        onReport?.Invoke(value);
    }
}
