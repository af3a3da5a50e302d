using System.Formats.Tar;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Api.Models.System;
using Berth.Cli.Cli;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// docker 28's <c>--use-api-socket</c>: the daemon socket this CLI talks to is bind-mounted at
/// <c>/var/run/docker.sock</c> (unix:// endpoints only), and, unless the container's environment already names a
/// <c>DOCKER_CONFIG</c>, the CLI's registry credentials (<c>DOCKER_AUTH_CONFIG</c>'s when it holds some, else every
/// stored login) go with it: <c>DOCKER_CONFIG=/run/secrets/docker</c> is set, and after create a config.json holding
/// only those <c>auths</c> is copied to <c>/run/secrets/docker/config.json</c> (0600) through the archive endpoint.
/// </summary>
internal static class ApiSocket
{
    private const string SocketInContainer = "/var/run/docker.sock";
    private const string ConfigDirectoryInContainer = "/run/secrets/docker";
    private const string ConfigInContainer = ConfigDirectoryInContainer + "/" + DockerConfigFile.FileName;

    /// <summary>Adds the socket's mount and, when there are credentials to inject, <c>DOCKER_CONFIG</c>; returns those credentials, or null.</summary>
    /// <exception cref="InvalidOperationException">The endpoint is not a unix socket, or the credentials cannot be read (docker's texts).</exception>
    public static async Task<IReadOnlyDictionary<string, AuthConfig>?> PrepareAsync(CliContext context, ContainerCreateRequest request,
        CancellationToken cancellationToken)
    {
        var endpoint = context.Daemon.Endpoint();
        if (endpoint.SocketPath is not { } socket)
            throw new InvalidOperationException($"flag --use-api-socket can only be used with unix sockets: docker endpoint {DockerHost(endpoint)} incompatible");
        var mount = new Mount { Type = "bind", Source = socket, Target = SocketInContainer, BindOptions = new BindOptions() };
        request.HostConfig!.Mounts = [.. request.HostConfig.Mounts ?? [], mount];
        if (request.Env?.Any(e => e.StartsWith("DOCKER_CONFIG=", StringComparison.Ordinal)) == true)
            return null;
        var credentials = await ReadCredentialsAsync(context, cancellationToken).ConfigureAwait(false);
        if (credentials.Count == 0)
            return null;
        request.Env = [.. request.Env ?? [], "DOCKER_CONFIG=" + ConfigDirectoryInContainer];
        return credentials;
    }

    /// <summary>Copies the config.json holding <paramref name="credentials"/> into the created container.</summary>
    public static async Task InjectAsync(IBerthClient client, string id, IReadOnlyDictionary<string, AuthConfig> credentials,
        CancellationToken cancellationToken)
    {
        using var tar = ConfigArchive(credentials);
        try
        {
            await client.CopyToContainerAsync(id, "/", tar, allowOverwriteDirWithFile: false, copyUidGid: false, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            throw new InvalidOperationException($"injecting docker config.json into container failed: copying config.json into container failed: {Errors.Describe(e)}");
        }
    }

    /// <summary>docker's <c>readCredentials</c>: a <c>DOCKER_AUTH_CONFIG</c> with <c>auths</c> wins over the stored logins.</summary>
    private static async Task<IReadOnlyDictionary<string, AuthConfig>> ReadCredentialsAsync(CliContext context, CancellationToken cancellationToken)
    {
        if (context.Environment("DOCKER_AUTH_CONFIG") is { Length: > 0 } variable)
        {
            DockerConfigFile file;
            try
            {
                file = DockerConfigFile.Parse("DOCKER_AUTH_CONFIG", Encoding.UTF8.GetBytes(variable));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                throw new InvalidOperationException($"resolving credentials failed: failed to read credentials from DOCKER_AUTH_CONFIG: {e.Message}");
            }
            if (file.AuthKeys.Count > 0)
                return file.AuthKeys.ToDictionary(k => k, k => file.GetAuth(k)!, StringComparer.Ordinal);
        }
        var stored = await context.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        return await stored.GetAllAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A tar of one entry, <c>/run/secrets/docker/config.json</c> (0600, mtime 0 as Go writes a zero time), holding what
    /// docker's <c>SaveToWriter</c> writes for a config of only <c>auths</c>: tab-indented, keys sorted, user and
    /// password folded into <c>auth</c>, no server address, no trailing newline.
    /// </summary>
    private static MemoryStream ConfigArchive(IReadOnlyDictionary<string, AuthConfig> credentials)
    {
        var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions
        {
            Indented = true, IndentCharacter = '\t', IndentSize = 1, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("auths");
            foreach (var (key, config) in credentials.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(key);
                Write(writer, "auth", string.IsNullOrEmpty(config.Username) && string.IsNullOrEmpty(config.Password)
                    ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes($"{config.Username}:{config.Password}")));
                Write(writer, "email", config.Email);
                Write(writer, "identitytoken", config.IdentityToken);
                Write(writer, "registrytoken", config.RegistryToken);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        var content = Encoding.UTF8.GetBytes(GoJson.EscapeHtml(Encoding.UTF8.GetString(json.ToArray())));
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, ConfigInContainer)
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                ModificationTime = DateTimeOffset.UnixEpoch,
                DataStream = new MemoryStream(content),
            });
        }
        tar.Position = 0;
        return tar;
    }

    private static void Write(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            writer.WriteString(name, value);
    }

    /// <summary>The endpoint as docker names it in the refusal: tcp with its port filled in, ssh as written.</summary>
    private static string DockerHost(DaemonEndpoint endpoint) => endpoint.Ssh is not null ? endpoint.Original : $"tcp://{endpoint.HostHeader}";
}
