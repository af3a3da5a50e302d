using System.Text.Json.Serialization;

namespace Berth.Api.Models.System;

/// <summary>
/// <c>POST /auth</c>'s body, and the JSON inside <c>X-Registry-Auth</c> (base64url): Docker's registry AuthConfig, with
/// its lower-case names. <see cref="Auth"/> is <c>base64(username:password)</c>, as config.json stores it.
/// </summary>
public sealed class AuthConfig
{
    [JsonPropertyName("username")] public string? Username { get; set; }
    [JsonPropertyName("password")] public string? Password { get; set; }
    [JsonPropertyName("auth")] public string? Auth { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("serveraddress")] public string? ServerAddress { get; set; }
    [JsonPropertyName("identitytoken")] public string? IdentityToken { get; set; }
    [JsonPropertyName("registrytoken")] public string? RegistryToken { get; set; }
}

/// <summary><c>POST /auth</c>'s answer: <c>Login Succeeded</c>, and an identity token when the registry issued one.</summary>
public sealed class AuthResponse
{
    public string Status { get; set; } = "";
    public string IdentityToken { get; set; } = "";
}
