using Berth.Oci.Image;

namespace Berth.Images.Distribution;

/// <summary>
/// The layer downloads of one pull, <c>concurrency</c> at a time in manifest order, with Docker's per-layer progress:
/// <c>Already exists</c> for a blob present, else <c>Pulling fs layer</c>, <c>Waiting</c> (queued behind the first
/// ones), <c>Downloading</c> current/total, <c>Verifying Checksum</c>, <c>Download complete</c>. A blob named twice is
/// fetched once. Disposing cancels what still runs and waits for it, so nothing writes after the pull has ended.
/// </summary>
internal sealed class LayerDownloads : IAsyncDisposable
{
    private const long ReportEvery = 256 * 1024;

    public delegate Task FetchBlob(Digest blob, long size, Action<long> onProgress, CancellationToken cancellationToken);

    private readonly CancellationTokenSource _cancel;
    private readonly Task[] _tasks;
    private readonly bool[] _new;

    private LayerDownloads(int count, CancellationToken cancellationToken)
    {
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _tasks = new Task[count];
        _new = new bool[count];
    }

    /// <summary>Reports the first lines of every layer and starts the downloads.</summary>
    public static async Task<LayerDownloads> StartAsync(IReadOnlyList<(Digest Blob, long Size)> layers, Func<Digest, Task<bool>> isPresent,
        FetchBlob fetch, SerialProgress<PullProgress> progress, int concurrency, CancellationToken cancellationToken)
    {
        var downloads = new LayerDownloads(layers.Count, cancellationToken);
        var first = new Dictionary<Digest, int>();
        for (var i = 0; i < layers.Count; i++)
        {
            var blob = layers[i].Blob;
            if (first.TryGetValue(blob, out var earlier)) continue;
            first[blob] = i;
            var present = await isPresent(blob);
            downloads._new[i] = !present;
            progress.Report(new PullProgress(Short(blob), present ? "Already exists" : "Pulling fs layer"));
        }
        var slots = new SemaphoreSlim(concurrency, concurrency);
        var queued = 0;
        for (var i = 0; i < layers.Count; i++)
        {
            if (downloads._new[i] && ++queued > concurrency) progress.Report(new PullProgress(Short(layers[i].Blob), "Waiting"));
        }
        for (var i = 0; i < layers.Count; i++)
        {
            var (blob, size) = layers[i];
            downloads._tasks[i] = first[blob] != i ? downloads._tasks[first[blob]]
                : downloads._new[i] ? downloads.RunAsync(blob, size, fetch, slots, progress)
                : Task.CompletedTask;
        }
        return downloads;
    }

    /// <summary>Whether layer <paramref name="index"/> is downloaded by this pull (and so reported further).</summary>
    public bool IsNew(int index) => _new[index];

    public Task WaitAsync(int index) => _tasks[index];

    private async Task RunAsync(Digest blob, long size, FetchBlob fetch, SemaphoreSlim slots, SerialProgress<PullProgress> progress)
    {
        await Task.Yield(); // the caller starts every download before any runs
        await slots.WaitAsync(_cancel.Token);
        try
        {
            var id = Short(blob);
            var reported = -ReportEvery;
            await fetch(blob, size, current =>
            {
                if (current - reported < ReportEvery && current < size) return;
                reported = current;
                progress.Report(new PullProgress(id, "Downloading", current, size));
            }, _cancel.Token);
            progress.Report(new PullProgress(id, "Verifying Checksum"));
            progress.Report(new PullProgress(id, "Download complete"));
        }
        finally
        {
            slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync();
        foreach (var task in _tasks.Where(t => t is not null))
        {
            try
            {
                await task;
            }
            catch
            {
                // its failure, if it matters, was seen by WaitAsync
            }
        }
        _cancel.Dispose();
    }

    private static string Short(Digest digest) => digest.Encoded[..12];
}
