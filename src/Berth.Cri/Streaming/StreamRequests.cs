using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Berth.Cri.Streaming;

/// <summary>
/// The requests <c>Exec</c>, <c>Attach</c> and <c>PortForward</c> answered with a URL, until a client comes for them:
/// each token is taken once and is good for a minute, as in kubelet's streaming server (its request cache).
/// </summary>
internal sealed class StreamRequests(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (object Request, DateTimeOffset Expires)> _pending = new();

    /// <summary>A new token for <paramref name="request"/>: 8 random bytes in URL-safe base64, as kubelet's.</summary>
    public string Add(object request)
    {
        var now = time.GetUtcNow();
        foreach (var (token, entry) in _pending)
            if (entry.Expires <= now) _pending.TryRemove(token, out _);
        var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(8)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _pending[fresh] = (request, now + Lifetime);
        return fresh;
    }

    /// <summary>The request of <paramref name="token"/> if it is known, unexpired and of type <typeparamref name="T"/>; the token is spent.</summary>
    public T? Take<T>(string token) where T : class =>
        _pending.TryRemove(token, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Request as T : null;
}
