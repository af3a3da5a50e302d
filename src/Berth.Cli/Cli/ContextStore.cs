using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli.Cli;

/// <summary>One named daemon connection: docker's context with its docker endpoint.</summary>
internal sealed record DockerContext(string Name, string Description, string Host, bool SkipTlsVerify)
{
    /// <summary>The endpoint's TLS files present in the store (<c>ca.pem</c>, <c>cert.pem</c>, <c>key.pem</c>), by file name.</summary>
    public IReadOnlyDictionary<string, string> TlsFiles { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// docker's context store, read and written in its layout so that docker and berth share contexts. The default
/// context is not stored: it is the DOCKER_HOST/-H based configuration.
/// <code>
/// CONFIG_DIR/contexts/                                      (CONFIG_DIR: --config, $DOCKER_CONFIG, ~/.docker)
/// ├── meta/&lt;sha256(name)&gt;/meta.json   0644 in 0755 dirs: {"Name","Metadata":{"Description"},"Endpoints":{"docker":{"Host","SkipTLSVerify"}}}
/// └── tls/&lt;sha256(name)&gt;/docker/       0700 dirs: ca.pem, cert.pem, key.pem (0600), copied in by create
/// </code>
/// </summary>
internal sealed class ContextStore(string configDirectory)
{
    public const string DefaultName = "default";
    public const string DefaultDescription = "Current DOCKER_HOST based configuration";
    public static readonly string[] TlsFileNames = ["ca.pem", "cert.pem", "key.pem"];

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.Default };

    public string MetaRoot => Path.Combine(configDirectory, "contexts", "meta");
    public string TlsRoot => Path.Combine(configDirectory, "contexts", "tls");

    public string MetaDirectory(string name) => Path.Combine(MetaRoot, Id(name));
    public string TlsDirectory(string name) => Path.Combine(TlsRoot, Id(name));

    private static string Id(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    /// <exception cref="ContextNotFoundException">No context of that name is stored.</exception>
    /// <exception cref="InvalidDataException">Its meta.json is not docker's shape.</exception>
    public DockerContext Load(string name)
    {
        var path = Path.Combine(MetaDirectory(name), "meta.json");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ContextNotFoundException($"context \"{name}\": context not found: open {path}: no such file or directory");
        }
        return Parse(bytes, path);
    }

    public bool Exists(string name) => File.Exists(Path.Combine(MetaDirectory(name), "meta.json"));

    /// <summary>Every stored context (unreadable ones left out), in no particular order.</summary>
    public IEnumerable<DockerContext> List()
    {
        if (!Directory.Exists(MetaRoot))
            yield break;
        foreach (var directory in Directory.EnumerateDirectories(MetaRoot))
        {
            var path = Path.Combine(directory, "meta.json");
            DockerContext? context;
            try
            {
                context = Parse(File.ReadAllBytes(path), path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                context = null;
            }
            if (context is not null)
                yield return context;
        }
    }

    /// <summary>Writes the context's meta.json and copies its TLS files (<paramref name="tlsSources"/>: file name → source path).</summary>
    public void Create(DockerContext context, IReadOnlyDictionary<string, string> tlsSources)
    {
        var metaDirectory = MetaDirectory(context.Name);
        Directory.CreateDirectory(metaDirectory);
        var metadata = new JsonObject();
        if (context.Description.Length > 0)
            metadata["Description"] = context.Description;
        var meta = new JsonObject
        {
            ["Name"] = context.Name,
            ["Metadata"] = metadata,
            ["Endpoints"] = new JsonObject { ["docker"] = new JsonObject { ["Host"] = context.Host, ["SkipTLSVerify"] = context.SkipTlsVerify } },
        };
        if (tlsSources.Count > 0)
        {
            var tlsDirectory = Path.Combine(TlsDirectory(context.Name), "docker");
            const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Directory.CreateDirectory(TlsRoot, owner);
            Directory.CreateDirectory(TlsDirectory(context.Name), owner);
            Directory.CreateDirectory(tlsDirectory, owner);
            foreach (var (file, source) in tlsSources)
            {
                var target = Path.Combine(tlsDirectory, file);
                File.Copy(source, target, overwrite: true);
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Compact))
            meta.WriteTo(writer);
        File.WriteAllBytes(Path.Combine(metaDirectory, "meta.json"), stream.ToArray());
    }

    public void Remove(string name)
    {
        Directory.Delete(MetaDirectory(name), recursive: true);
        if (Directory.Exists(TlsDirectory(name)))
            Directory.Delete(TlsDirectory(name), recursive: true);
    }

    private DockerContext Parse(byte[] bytes, string path)
    {
        try
        {
            var root = JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException("not an object");
            var name = root["Name"]?.GetValue<string>() ?? throw new JsonException("no Name");
            var docker = root["Endpoints"]?["docker"] as JsonObject;
            var tlsDirectory = Path.Combine(TlsDirectory(name), "docker");
            return new DockerContext(name, root["Metadata"]?["Description"]?.GetValue<string>() ?? "",
                docker?["Host"]?.GetValue<string>() ?? "", docker?["SkipTLSVerify"]?.GetValue<bool>() ?? false)
            {
                TlsFiles = TlsFileNames.Select(f => Path.Combine(tlsDirectory, f)).Where(File.Exists).ToDictionary(p => Path.GetFileName(p), p => p),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"parsing {path}: {e.Message}");
        }
    }
}

/// <summary>No context of the name asked for; the message is docker's.</summary>
internal sealed class ContextNotFoundException(string message) : Exception(message);
