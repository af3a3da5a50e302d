using Berth.Api.Client;
using Berth.Api.Models.System;

namespace Berth.Cli.Cli;

/// <summary>
/// Registry credentials where the docker CLI keeps them: in config.json's <c>auths</c>, or, when <c>credHelpers</c>
/// names a helper for the key (else <c>credsStore</c> for all), in that helper, config.json then keeping the entry
/// without its secrets. Keys: <see cref="HubKey"/> for Docker Hub, hostname[:port] for the others.
/// </summary>
internal sealed class RegistryCredentials(DockerConfigFile file, CredentialHelpers helpers, TextWriter err)
{
    /// <summary>Docker Hub's key, and the server address of a login without SERVER.</summary>
    public const string HubKey = "https://index.docker.io/v1/";

    private bool _warned;

    /// <summary>Loads config.json; one that cannot be used is reported as docker does, then treated as empty.</summary>
    public static async Task<RegistryCredentials> LoadAsync(string directory, Func<string, string?> environment, TextWriter err,
        CancellationToken cancellationToken)
    {
        var file = await DockerConfigFile.LoadAsync(directory, cancellationToken).ConfigureAwait(false);
        if (file.LoadError is { } error)
            await err.WriteLineAsync("WARNING: Error " + error).ConfigureAwait(false);
        return new RegistryCredentials(file, new CredentialHelpers(environment), err);
    }

    /// <summary>docker's <c>getAuthConfigKey</c>: Docker Hub under its v1 URL, any other registry under its domain.</summary>
    public static string KeyForDomain(string domain) => domain is "docker.io" or "index.docker.io" ? HubKey : domain;

    /// <summary>docker's <c>ConvertToHostname</c>: <c>https://host:5000/v1/</c> → <c>host:5000</c>; <c>host/path</c> → <c>host</c>.</summary>
    public static string ConvertToHostname(string address)
    {
        var scheme = address.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var authority = address[(scheme + 3)..];
            authority = authority[..(authority.IndexOfAny(['/', '?', '#']) is var end and >= 0 ? end : authority.Length)];
            authority = authority[(authority.LastIndexOf('@') + 1)..];
            var (host, port) = authority.StartsWith('[') && authority.IndexOf(']') is var close and > 0
                ? (authority[1..close], authority[(close + 1)..].TrimStart(':'))
                : authority.LastIndexOf(':') is var colon and >= 0 ? (authority[..colon], authority[(colon + 1)..]) : (authority, "");
            if (host.Length > 0)
                return port.Length == 0 ? host : host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        }
        var slash = address.IndexOf('/');
        return slash < 0 ? address : address[..slash];
    }

    /// <summary>
    /// docker's <c>GetAuthConfig</c>: from the helper for <paramref name="key"/> (nothing stored = no username or secret),
    /// else the <c>auths</c> entry under the key, else the first whose key converts to it (<c>https://host/v1/</c>).
    /// An empty config (anonymous) when there is none.
    /// </summary>
    /// <exception cref="CredentialHelperException">The helper failed.</exception>
    public async Task<AuthConfig> GetAsync(string key, CancellationToken cancellationToken)
    {
        var stored = FromFile(key);
        if (file.HelperFor(key) is not { } helper)
            return stored;
        var secret = await helpers.GetAsync(helper, key, cancellationToken).ConfigureAwait(false);
        (stored.Username, stored.Password, stored.IdentityToken, stored.ServerAddress) = secret switch
        {
            null => ((string?)null, (string?)null, (string?)null, (string?)null),
            var (user, token) when user == CredentialHelpers.TokenUsername => (null, null, token, key),
            var (user, password) => (user, password, null, key),
        };
        return stored;
    }

    /// <summary>
    /// docker's <c>Store</c> under <c>config.ServerAddress</c>: into the helper when there is one, else into config.json
    /// (unless it holds exactly that already), warning once that a password is stored unencrypted.
    /// </summary>
    public async Task StoreAsync(AuthConfig config, CancellationToken cancellationToken)
    {
        var key = config.ServerAddress ?? throw new ArgumentException("the credentials name no server", nameof(config));
        var helper = file.HelperFor(key);
        if (helper is not null)
        {
            var (user, secret) = string.IsNullOrEmpty(config.IdentityToken)
                ? (config.Username ?? "", config.Password ?? "")
                : (CredentialHelpers.TokenUsername, config.IdentityToken);
            await helpers.StoreAsync(helper, key, user, secret, cancellationToken).ConfigureAwait(false);
            config = new AuthConfig { Email = config.Email, ServerAddress = key, RegistryToken = config.RegistryToken };
        }
        if (!file.SetAuth(config))
            return;
        await file.SaveAsync(cancellationToken).ConfigureAwait(false);
        if (helper is null && !string.IsNullOrEmpty(config.Password) && !_warned)
        {
            _warned = true;
            await err.WriteLineAsync($"\nWARNING! Your credentials are stored unencrypted in '{file.FilePath}'.\n" +
                "Configure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n").ConfigureAwait(false);
        }
    }

    /// <summary>docker's <c>Erase</c>: from the helper (whose failure is the result), then config.json's entry under exactly <paramref name="key"/>.</summary>
    public async Task EraseAsync(string key, CancellationToken cancellationToken)
    {
        if (file.HelperFor(key) is { } helper)
            await helpers.EraseAsync(helper, key, cancellationToken).ConfigureAwait(false);
        if (file.RemoveAuth(key))
            await file.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>X-Registry-Auth</c> for an image on <paramref name="domain"/>: the stored credentials, base64url JSON, or
    /// anonymous <c>{}</c>. As for docker pull and push, a failing helper means anonymous.
    /// </summary>
    public async Task<string> RegistryAuthAsync(string domain, CancellationToken cancellationToken)
    {
        try
        {
            return RegistryAuth.Encode(await GetAsync(KeyForDomain(domain), cancellationToken).ConfigureAwait(false));
        }
        catch (CredentialHelperException)
        {
            return RegistryAuth.Anonymous;
        }
    }

    /// <summary>
    /// docker's <c>GetAllCredentials</c> (a build's <c>X-Registry-Config</c>): every registry of <c>auths</c> and
    /// <c>credHelpers</c> with its credentials; a registry whose helper fails is left out.
    /// </summary>
    public async Task<Dictionary<string, AuthConfig>> GetAllAsync(CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, AuthConfig>(StringComparer.Ordinal);
        foreach (var key in file.AuthKeys.Concat(file.HelperKeys).Distinct(StringComparer.Ordinal))
        {
            try
            {
                all[key] = await GetAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CredentialHelperException or FormatException)
            {
                // docker logs the failure and sends the other registries' credentials.
            }
        }
        return all;
    }

    private AuthConfig FromFile(string key)
    {
        if (file.GetAuth(key) is { } exact)
            return exact;
        foreach (var stored in file.AuthKeys)
        {
            if (ConvertToHostname(stored) == key)
                return file.GetAuth(stored)!;
        }
        return new AuthConfig();
    }
}
