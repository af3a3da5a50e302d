namespace Berth.Distribution.Server;

/// <summary>How a registry server behaves; the host fills it from its command line.</summary>
public sealed class RegistryOptions
{
    /// <summary>Manifests above this size are refused with 413 (the spec asks registries to take at least 4 MiB).</summary>
    public int MaxManifestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>An htpasswd file (bcrypt entries): Basic auth, or the credentials the token endpoint checks.</summary>
    public string? HtpasswdPath { get; set; }

    /// <summary>Docker token auth; null for none.</summary>
    public TokenAuthOptions? Token { get; set; }

    /// <summary>Serve as a pull-through cache of another registry; null for a normal registry.</summary>
    public ProxyOptions? Proxy { get; set; }
}

public sealed class TokenAuthOptions
{
    /// <summary>The token endpoint's URL, announced in the Bearer challenge.</summary>
    public required string Realm { get; set; }

    /// <summary>The <c>service</c> (audience) tokens are issued for and checked against.</summary>
    public required string Service { get; set; }

    /// <summary>The <c>iss</c> tokens carry.</summary>
    public required string Issuer { get; set; }

    /// <summary>
    /// A PEM file with an EC P-256 (ES256) or RSA (RS256) key; a private key also lets this process issue tokens.
    /// Null: a fresh key for this process, which then issues its own tokens.
    /// </summary>
    public string? KeyPath { get; set; }

    /// <summary>Where this process serves its token endpoint (when it has the private key and an htpasswd file).</summary>
    public string EndpointPath { get; set; } = "/token";

    /// <summary>Let anonymous clients obtain pull tokens.</summary>
    public bool AnonymousPull { get; set; }

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Pull-through cache (mirror) of an upstream registry; the registry is then read-only for clients.</summary>
public sealed class ProxyOptions
{
    /// <summary>The upstream's base URL, e.g. <c>https://registry-1.docker.io</c>.</summary>
    public required string RemoteUrl { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }
}
