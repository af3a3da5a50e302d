using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Distribution.Server.Auth;

/// <summary>
/// An Apache htpasswd file with bcrypt entries (<c>htpasswd -B</c>), the format the reference registry reads.
/// bcrypt costs tens of milliseconds by design and clients send Basic credentials on every request, so a
/// successful check is remembered for a minute (keyed by a hash of the credentials, in memory only).
/// </summary>
public sealed class Htpasswd
{
    private static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(1);
    // Compared against when the user is unknown, so unknown and known users take the same time.
    private static readonly Lazy<string> DummyHash = new(() => BCrypt.Net.BCrypt.HashPassword("unknown user", 10));
    private readonly Dictionary<string, string> _hashes;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _recent = new(StringComparer.Ordinal);

    private Htpasswd(Dictionary<string, string> hashes) => _hashes = hashes;

    public static Htpasswd Load(string path) => Parse(File.ReadAllLines(path), path);

    public static Htpasswd Parse(IEnumerable<string> lines, string source = "htpasswd")
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var colon = line.IndexOf(':');
            if (colon <= 0) throw new InvalidDataException($"{source}:{number}: expected user:hash");
            var hash = line[(colon + 1)..];
            if (!hash.StartsWith("$2a$", StringComparison.Ordinal) && !hash.StartsWith("$2b$", StringComparison.Ordinal) && !hash.StartsWith("$2y$", StringComparison.Ordinal))
                throw new InvalidDataException($"{source}:{number}: only bcrypt entries are supported (htpasswd -B)");
            hashes[line[..colon]] = hash;
        }
        return new Htpasswd(hashes);
    }

    public bool Verify(string user, string password)
    {
        var key = CacheKey(user, password);
        if (_recent.TryGetValue(key, out var until) && until > DateTimeOffset.UtcNow) return true;
        var known = _hashes.TryGetValue(user, out var hash);
        bool ok;
        try
        {
            ok = BCrypt.Net.BCrypt.Verify(password, hash ?? DummyHash.Value) && known;
        }
        catch (BCrypt.Net.SaltParseException)
        {
            ok = false;
        }
        if (ok)
        {
            if (_recent.Count > 10_000) _recent.Clear();
            _recent[key] = DateTimeOffset.UtcNow + RememberFor;
        }
        return ok;
    }

    /// <summary>Decodes <c>Authorization: Basic base64(user:password)</c>; null when absent or malformed.</summary>
    public static (string User, string Password)? ParseBasic(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon < 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string CacheKey(string user, string password) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(user + "\0" + password)));
}
