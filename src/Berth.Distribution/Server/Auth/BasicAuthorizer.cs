using Microsoft.AspNetCore.Http;

namespace Berth.Distribution.Server.Auth;

/// <summary>htpasswd Basic auth: any user in the file may do everything; anyone else gets 401 and a Basic challenge.</summary>
public sealed class BasicAuthorizer(Htpasswd htpasswd, string realm = "Berth Registry") : IRegistryAuthorizer
{
    public ValueTask<RegistryException?> CheckAsync(HttpContext context, IReadOnlyList<Access> needs, IReadOnlyList<Access>? optional = null)
    {
        var credentials = Htpasswd.ParseBasic(context.Request.Headers.Authorization);
        if (credentials is { } c && htpasswd.Verify(c.User, c.Password)) return ValueTask.FromResult<RegistryException?>(null);
        var detail = credentials is null ? "credentials required" : "invalid username or password";
        return ValueTask.FromResult<RegistryException?>(
            new RegistryException(ErrorCode.Unauthorized, detail).WithHeader("WWW-Authenticate", $"Basic realm=\"{realm}\""));
    }
}
