namespace Berth.Distribution.Client;

/// <summary>
/// The credentials of one call, as the engine decodes them from <c>X-Registry-Auth</c>: a user name and password, or an
/// identity token (an OAuth refresh token from <c>docker login</c>) that replaces the password at the token endpoint.
/// </summary>
public sealed record RegistryCredentials(string? Username, string? Password, string? IdentityToken = null)
{
    public bool IsAnonymous => string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(IdentityToken);

    /// <summary>What a token is cached under: tokens of different users never mix.</summary>
    internal string CacheKey => IdentityToken is { Length: > 0 } ? "id:" + IdentityToken : "user:" + Username;

    public override string ToString() => $"RegistryCredentials {{ Username = {Username} }}"; // never the secret
}

/// <summary>
/// A registry refused a call: the HTTP <see cref="Status"/> and the distribution spec's error <see cref="Code"/>
/// (<c>UNAUTHORIZED</c>, <c>MANIFEST_UNKNOWN</c>, …; <c>UNKNOWN</c> when the body had none). <see cref="Exception.Message"/>
/// is Docker's text: <c>manifest unknown: manifest unknown</c>, <c>unauthorized: authentication required</c>.
/// </summary>
public sealed class RegistryException(int status, string code, string message, string? detail = null, Exception? inner = null)
    : Exception($"{Words(code)}: {message}", inner)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    /// <summary>The error's own message, without the code.</summary>
    public string RegistryMessage { get; } = message;

    /// <summary>The error's <c>detail</c>, when the registry sent one.</summary>
    public string? Detail { get; } = detail;

    public bool IsUnauthorized => Status == 401 || Code is "UNAUTHORIZED";

    public bool IsNotFound => Status == 404 || Code is "MANIFEST_UNKNOWN" or "NAME_UNKNOWN" or "BLOB_UNKNOWN";

    /// <summary>Docker prints a code as lower-case words: <c>MANIFEST_UNKNOWN</c> → <c>manifest unknown</c>.</summary>
    private static string Words(string code) => code.Replace('_', ' ').ToLowerInvariant();
}
