using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Berth.Engine.Events;

/// <summary>
/// The daemon's event log: every event goes to live subscribers and into a ring of the last
/// <see cref="Capacity"/>, which <c>since</c> replays.
/// </summary>
public sealed class EventService
{
    public const int Capacity = 1024;

    private readonly Queue<EngineEvent> _recent = new();
    private readonly List<Channel<EngineEvent>> _subscribers = [];
    private readonly Lock _lock = new();

    public void Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string>? attributes = null)
    {
        var e = new EngineEvent(type, action, actorId, attributes ?? new Dictionary<string, string>(), DateTime.UtcNow);
        lock (_lock)
        {
            if (_recent.Count == Capacity) _recent.Dequeue();
            _recent.Enqueue(e);
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(e);
        }
    }

    /// <summary>
    /// Past events at or after <paramref name="since"/> (none when null), then live ones until <paramref name="until"/>
    /// (forever when null) or until the token is cancelled.
    /// </summary>
    public async IAsyncEnumerable<EngineEvent> StreamAsync(
        DateTime? since, DateTime? until, EventFilter filter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true });
        EngineEvent[] past;
        lock (_lock)
        {
            past = since is null ? [] : [.. _recent.Where(e => e.Time >= since)];
            if (until is null || until > DateTime.UtcNow) _subscribers.Add(channel);
        }
        try
        {
            foreach (var e in past)
            {
                if (until is not null && e.Time > until) yield break;
                if (filter.Matches(e)) yield return e;
            }
            if (until is not null && until <= DateTime.UtcNow) yield break;

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (until is not null) deadline.CancelAfter(until.Value - DateTime.UtcNow);
            while (true)
            {
                EngineEvent e;
                try
                {
                    e = await channel.Reader.ReadAsync(deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    yield break; // until reached
                }
                if (filter.Matches(e)) yield return e;
            }
        }
        finally
        {
            lock (_lock) _subscribers.Remove(channel);
        }
    }
}
