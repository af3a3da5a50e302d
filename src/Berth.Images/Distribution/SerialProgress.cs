namespace Berth.Images.Distribution;

/// <summary>
/// Hands reports from concurrent transfers to the caller's progress one at a time, in the order they were made,
/// so a synchronous sink (the engine's JSON stream) never sees two writers.
/// </summary>
internal sealed class SerialProgress<T>(IProgress<T>? inner)
{
    private readonly Lock _lock = new();

    public void Report(T value)
    {
        if (inner is null) return;
        lock (_lock) inner.Report(value);
    }
}
