namespace Berth.Images;

/// <summary>One async lock per key (a chain id), alive while someone holds or waits for it.</summary>
internal sealed class KeyedLock
{
    private readonly Dictionary<string, (SemaphoreSlim Semaphore, int Users)> _locks = new(StringComparer.Ordinal);

    public async Task<IDisposable> LockAsync(string key, CancellationToken cancellationToken)
    {
        SemaphoreSlim semaphore;
        lock (_locks)
        {
            var (existing, users) = _locks.GetValueOrDefault(key);
            semaphore = existing ?? new SemaphoreSlim(1, 1);
            _locks[key] = (semaphore, users + 1);
        }
        try
        {
            await semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key);
            throw;
        }
        return new Releaser(this, key, semaphore);
    }

    private void Leave(string key)
    {
        lock (_locks)
        {
            var (semaphore, users) = _locks[key];
            if (users == 1) _locks.Remove(key);
            else _locks[key] = (semaphore, users - 1);
        }
    }

    private sealed class Releaser(KeyedLock owner, string key, SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose()
        {
            semaphore.Release();
            owner.Leave(key);
        }
    }
}
