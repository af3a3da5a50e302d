using System.Net.Http.Headers;

namespace Berth.Distribution.Client;

/// <summary>
/// One <c>WWW-Authenticate</c> challenge: <c>Basic realm="…"</c>, or <c>Bearer realm="…",service="…",scope="…"</c>
/// (Docker's token auth). Parameter names are case-insensitive; values may be quoted (with <c>\</c> escapes) or bare.
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    public static IReadOnlyList<AuthChallenge> Parse(HttpHeaderValueCollection<AuthenticationHeaderValue> headers) =>
        [.. headers.Select(h => new AuthChallenge(h.Scheme, ParseParameters(h.Parameter ?? "")))];

    /// <summary>The parameters of one challenge: <c>k1="v1", k2=v2</c>.</summary>
    public static IReadOnlyDictionary<string, string> ParseParameters(string text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i]))) i++;
            var nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',') i++;
            var name = text[nameStart..i].Trim();
            if (i >= text.Length || text[i] != '=')
                continue; // a bare token (token68) carries nothing Docker's auth uses
            i++;
            var value = new System.Text.StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    value.Append(text[i]);
                }
                i++; // the closing quote
            }
            else
            {
                while (i < text.Length && text[i] != ',') value.Append(text[i++]);
            }
            if (name.Length > 0) parameters[name] = value.ToString().Trim();
        }
        return parameters;
    }
}
