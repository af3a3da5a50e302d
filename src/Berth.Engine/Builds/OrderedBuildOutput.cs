namespace Berth.Engine.Builds;

/// <summary>
/// The output of stages that build at once, in the order a sequential build prints it: the first unfinished stage
/// (in Dockerfile order) writes through; the others are held until every stage before them is done. On a failure
/// everything held is written out, so the failing step's output comes before the error.
/// </summary>
internal sealed class OrderedBuildOutput(IBuildOutput output, int stages)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly List<string>[] _held = [.. Enumerable.Range(0, stages).Select(_ => new List<string>())];
    private readonly bool[] _done = new bool[stages];
    private int _live;

    public async ValueTask WriteAsync(int stage, string text, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (stage == _live) await output.WriteAsync(text, cancellationToken);
            else _held[stage].Add(text);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The stage is done: the stages after it that were held are written, up to the next unfinished one.</summary>
    public async Task CompleteAsync(int stage, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            _done[stage] = true;
            while (_live < _done.Length && _done[_live])
            {
                _live++;
                if (_live < _done.Length) await FlushAsync(_live, cancellationToken);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Writes what every stage holds, in order (the build failed).</summary>
    public async Task FlushAllAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            for (var stage = _live; stage < _held.Length; stage++) await FlushAsync(stage, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task FlushAsync(int stage, CancellationToken cancellationToken)
    {
        foreach (var text in _held[stage]) await output.WriteAsync(text, cancellationToken);
        _held[stage].Clear();
    }
}
