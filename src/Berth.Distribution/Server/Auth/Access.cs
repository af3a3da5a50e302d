namespace Berth.Distribution.Server.Auth;

/// <summary>
/// One thing a request needs: <c>repository:&lt;name&gt;:pull</c>, <c>…:push</c>, <c>…:delete</c>, or
/// <c>registry:catalog:*</c>; the scope syntax of Docker's token auth.
/// </summary>
public sealed record Access(string Type, string Name, string Action)
{
    public const string Pull = "pull";
    public const string Push = "push";
    public const string Delete = "delete";

    public static Access Repository(string name, string action) => new("repository", name, action);

    public static readonly Access Catalog = new("registry", "catalog", "*");

    /// <summary>The challenge's <c>scope</c> value for a set of needs (actions of one resource joined by commas).</summary>
    public static string Scope(IEnumerable<Access> needs) => string.Join(' ', needs
        .GroupBy(a => (a.Type, a.Name))
        .Select(g => $"{g.Key.Type}:{g.Key.Name}:{string.Join(',', g.Select(a => a.Action).Distinct())}"));
}

/// <summary>
/// Decides whether a request may do what it needs; consumed by the registry's dispatcher once per request.
/// Returns null when allowed, else the error to answer (UNAUTHORIZED with a challenge, or DENIED).
/// <paramref name="optional"/> is what the request can use but does without (pull on a mount's source repository):
/// a challenge asks for it too, as Docker's registry does, so clients that take their scope from the challenge get it.
/// </summary>
public interface IRegistryAuthorizer
{
    ValueTask<RegistryException?> CheckAsync(Microsoft.AspNetCore.Http.HttpContext context, IReadOnlyList<Access> needs, IReadOnlyList<Access>? optional = null);
}

/// <summary>No authentication configured: everything is allowed.</summary>
public sealed class AllowAllAuthorizer : IRegistryAuthorizer
{
    public ValueTask<RegistryException?> CheckAsync(Microsoft.AspNetCore.Http.HttpContext context, IReadOnlyList<Access> needs, IReadOnlyList<Access>? optional = null) =>
        ValueTask.FromResult<RegistryException?>(null);
}
