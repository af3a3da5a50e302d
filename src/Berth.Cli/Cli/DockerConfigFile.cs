using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Api.Models.System;

namespace Berth.Cli.Cli;

/// <summary>
/// The docker CLI's client config file, read and written so that docker and berth share one login. Only the
/// <c>auths</c> entries are rewritten; every other key (psFormat, proxies, plugins…) is written back as it was read.
/// <code>
/// --config DIR | $DOCKER_CONFIG | $HOME/.docker       0700 when created here
/// └── config.json                                      0600; replaced whole: temp file, fsync, rename
///     { "auths": { "https://index.docker.io/v1/": { "auth": base64(user:password), "identitytoken": "…" },
///                  "localhost:5000": { "auth": "…" } },
///       "credsStore": "pass", "credHelpers": { "gcr.io": "gcloud" }, … }
/// </code>
/// </summary>
internal sealed class DockerConfigFile
{
    public const string FileName = "config.json";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentCharacter = '\t',
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly JsonObject _root;

    private DockerConfigFile(string path, JsonObject root, string? loadError)
    {
        FilePath = path;
        _root = root;
        LoadError = loadError;
    }

    public string FilePath { get; }

    /// <summary>Why the file could not be used (docker then warns and carries on with an empty config); null when it could.</summary>
    public string? LoadError { get; }

    /// <summary>docker's <c>config.Dir</c>: the <c>--config</c> flag, else <c>$DOCKER_CONFIG</c>, else <c>~/.docker</c>.</summary>
    public static string DirectoryFor(string? flag, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(flag))
            return flag;
        if (environment("DOCKER_CONFIG") is { Length: > 0 } dir)
            return dir;
        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".docker");
    }

    /// <summary>A missing or empty file is an empty config; an unreadable or malformed one too, with <see cref="LoadError"/> set.</summary>
    public static async Task<DockerConfigFile> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new DockerConfigFile(path, [], null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new DockerConfigFile(path, [], "loading config file: " + e.Message);
        }
        try
        {
            return Parse(path, bytes);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return new DockerConfigFile(path, [], $"parsing config file ({path}): {e.Message}");
        }
    }

    /// <summary>A config held in <paramref name="bytes"/> (read from <paramref name="path"/>, or from a variable); blank is empty.</summary>
    /// <exception cref="JsonException">Not JSON, or not a config's shape.</exception>
    /// <exception cref="FormatException">An <c>auths</c> entry's <c>auth</c> is not base64 of <c>user:password</c>.</exception>
    /// <exception cref="InvalidOperationException">A value has the wrong JSON kind.</exception>
    public static DockerConfigFile Parse(string path, byte[] bytes)
    {
        if (Encoding.UTF8.GetString(bytes).Trim().Length == 0)
            return new DockerConfigFile(path, [], null);
        if (JsonNode.Parse(bytes) is not JsonObject root)
            throw new JsonException("the config is not a JSON object");
        var file = new DockerConfigFile(path, root, null);
        if (root["auths"] is not (null or JsonObject))
            throw new JsonException("\"auths\" is not an object");
        foreach (var (key, entry) in file.Auths ?? [])
        {
            if (entry is not (null or JsonObject))
                throw new JsonException($"the \"auths\" entry for {key} is not an object");
            file.GetAuth(key);
        }
        return file;
    }

    /// <summary><c>currentContext</c>: the context <c>context use</c> chose; null for the default one (the key is then absent).</summary>
    public string? CurrentContext
    {
        get => Text(_root["currentContext"]);
        set
        {
            if (value is null)
                _root.Remove("currentContext");
            else
                _root["currentContext"] = value;
        }
    }

    /// <summary>The user's default <c>ps</c> format (<c>psFormat</c>); null when unset.</summary>
    public string? PsFormat => Text(_root["psFormat"]);

    /// <summary>The user's default <c>images</c> format (<c>imagesFormat</c>); null when unset.</summary>
    public string? ImagesFormat => Text(_root["imagesFormat"]);

    /// <summary>The user's default <c>network ls</c> format (<c>networksFormat</c>); null when unset.</summary>
    public string? NetworksFormat => Text(_root["networksFormat"]);

    /// <summary>The user's detach sequence for attach, run and start (<c>detachKeys</c>); null when unset.</summary>
    public string? DetachKeys => Text(_root["detachKeys"]);

    /// <summary><c>credsStore</c>: the helper for every registry without its own in <c>credHelpers</c>.</summary>
    public string? CredentialsStore => Text(_root["credsStore"]);

    /// <summary>The credential helper for <paramref name="key"/> (<c>credHelpers[key]</c>, else <c>credsStore</c>); null for the file.</summary>
    public string? HelperFor(string key) =>
        _root["credHelpers"] is JsonObject helpers && helpers.ContainsKey(key) ? Text(helpers[key]) : CredentialsStore;

    /// <summary>The registries <c>credHelpers</c> names a helper for.</summary>
    public IReadOnlyList<string> HelperKeys => _root["credHelpers"] is JsonObject helpers ? helpers.Select(p => p.Key).ToList() : [];

    public IReadOnlyList<string> AuthKeys => Auths is { } auths ? auths.Select(p => p.Key).ToList() : [];

    /// <summary>
    /// The entry stored under exactly <paramref name="key"/>, as docker reads it: <c>auth</c> decoded into username and
    /// password, <c>ServerAddress</c> the key. Null when there is none.
    /// </summary>
    /// <exception cref="FormatException">The entry's <c>auth</c> is not base64 of <c>user:password</c>.</exception>
    public AuthConfig? GetAuth(string key)
    {
        if (Auths?[key] is not JsonObject entry)
            return Auths?.ContainsKey(key) == true ? new AuthConfig { ServerAddress = key } : null;
        var config = new AuthConfig
        {
            Username = Text(entry["username"]),
            Password = Text(entry["password"]),
            Email = Text(entry["email"]),
            ServerAddress = key,
            IdentityToken = Text(entry["identitytoken"]),
            RegistryToken = Text(entry["registrytoken"]),
        };
        if (Text(entry["auth"]) is { } auth)
            (config.Username, config.Password) = DecodeAuth(auth);
        return config;
    }

    /// <summary>Replaces the entry for <c>config.ServerAddress</c>; false (nothing to save) when it holds exactly that already.</summary>
    public bool SetAuth(AuthConfig config)
    {
        var key = config.ServerAddress ?? throw new ArgumentException("the credentials name no server", nameof(config));
        if (GetAuth(key) is { } old && SameCredentials(old, config))
            return false;
        var entry = new JsonObject();
        Add(entry, "auth", EncodeAuth(config.Username, config.Password));
        Add(entry, "email", config.Email);
        Add(entry, "identitytoken", config.IdentityToken);
        Add(entry, "registrytoken", config.RegistryToken);
        MutableAuths()[key] = entry;
        return true;
    }

    /// <summary>False (nothing to save) when there was no entry under exactly <paramref name="key"/>.</summary>
    public bool RemoveAuth(string key) => Auths?.Remove(key) == true;

    /// <summary>
    /// Writes the whole file beside its target (the final one, when config.json is a symlink), then renames it over.
    /// A file that could not be read is not overwritten: its content would be lost.
    /// </summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (LoadError is not null)
            throw new IOException($"not overwriting {FilePath}: {LoadError}");
        MutableAuths();
        var target = FollowLinks(FilePath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(target))!;
        CreateDirectories(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                Options = FileOptions.Asynchronous,
            };
            await using (var stream = new FileStream(temp, options))
            {
                await using (var writer = new Utf8JsonWriter(stream, WriterOptions))
                    _root.WriteTo(writer);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private JsonObject? Auths => _root["auths"] as JsonObject;

    /// <summary>Go's <c>MkdirAll(dir, 0700)</c>: every directory created gets 0700 (.NET's mode applies to the last one only).</summary>
    private static void CreateDirectories(string directory)
    {
        if (Directory.Exists(directory))
            return;
        if (Path.GetDirectoryName(directory) is { } parent)
            CreateDirectories(parent);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The file a symlinked config.json ends at, which may not exist yet (a dangling link is written through, as docker does).</summary>
    private static string FollowLinks(string path)
    {
        for (var hops = 0; hops < 40 && LinkTarget(path) is { } link; hops++)
            path = Path.GetFullPath(link, Path.GetDirectoryName(Path.GetFullPath(path))!);
        return path;
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>docker always writes <c>auths</c>, first, even when empty.</summary>
    private JsonObject MutableAuths()
    {
        if (Auths is { } auths)
            return auths;
        var created = new JsonObject();
        _root.Remove("auths");
        _root.Insert(0, "auths", created);
        return created;
    }

    private static bool SameCredentials(AuthConfig a, AuthConfig b) =>
        Same(a.Username, b.Username) && Same(a.Password, b.Password) && Same(a.Email, b.Email) && Same(a.ServerAddress, b.ServerAddress)
        && Same(a.IdentityToken, b.IdentityToken) && Same(a.RegistryToken, b.RegistryToken);

    private static bool Same(string? a, string? b) => (a ?? "") == (b ?? "");

    private static string? EncodeAuth(string? username, string? password) =>
        string.IsNullOrEmpty(username) && string.IsNullOrEmpty(password) ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));

    private static (string Username, string Password) DecodeAuth(string auth)
    {
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
        var colon = pair.IndexOf(':');
        if (colon <= 0)
            throw new FormatException("Invalid auth configuration file");
        return (pair[..colon], pair[(colon + 1)..].Trim('\0'));
    }

    private static void Add(JsonObject entry, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            entry[name] = value;
    }

    /// <summary>A string value; null for anything else or empty (Go's zero value).</summary>
    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } s ? s : null;
}
