namespace Berth.Distribution.Storage;

public sealed partial class FileSystemDriver
{
    private sealed class Writer(FileSystemDriver driver, FileStream stream, bool created, long initialSize) : IStorageWriter
    {
        private readonly long _initialSize = initialSize;
        private bool _done;

        public long Size { get; private set; } = initialSize;

        public async Task WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            if (stream.Position != Size) stream.Position = Size;
            await stream.WriteAsync(buffer, cancellationToken);
            Size += buffer.Length;
        }

        public async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
            _done = true;
            await stream.DisposeAsync();
        }

        public async Task CancelAsync(CancellationToken cancellationToken = default)
        {
            if (_done) return;
            _done = true;
            var path = stream.Name;
            if (created)
            {
                await stream.DisposeAsync();
                File.Delete(path);
                driver.PruneEmptyParents(path);
            }
            else
            {
                stream.SetLength(_initialSize);
                await stream.DisposeAsync();
            }
        }

        public ValueTask DisposeAsync() => new(CancelAsync());
    }
}
