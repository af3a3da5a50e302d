namespace Berth.Distribution.Storage;

public sealed partial class InMemoryDriver
{
    /// <summary>A growable byte buffer; readers take a snapshot of [0, Length) which later appends never change.</summary>
    private sealed class MemoryFile(byte[] content)
    {
        private byte[] _buffer = content;

        public int Length { get; private set; } = content.Length;

        public DateTimeOffset ModifiedAt { get; private set; } = DateTimeOffset.UtcNow;

        public ReadOnlyMemory<byte> Content
        {
            get { lock (this) return _buffer.AsMemory(0, Length); }
        }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            lock (this)
            {
                if (Length + (long)bytes.Length > Array.MaxLength) throw new IOException("in-memory file too large");
                if (Length + bytes.Length > _buffer.Length)
                {
                    // A new array, so snapshots handed to readers keep their bytes.
                    var grown = new byte[Math.Max(Length + bytes.Length, Math.Min(Array.MaxLength, Math.Max(4096, _buffer.Length * 2L)))];
                    _buffer.AsSpan(0, Length).CopyTo(grown);
                    _buffer = grown;
                }
                bytes.CopyTo(_buffer.AsSpan(Length));
                Length += bytes.Length;
                ModifiedAt = DateTimeOffset.UtcNow;
            }
        }

        public void Truncate(int length)
        {
            lock (this)
            {
                // Copy so a reader's snapshot is never overwritten by a later append.
                _buffer = _buffer.AsSpan(0, length).ToArray();
                Length = length;
                ModifiedAt = DateTimeOffset.UtcNow;
            }
        }
    }

    private sealed class Writer(InMemoryDriver driver, string path, MemoryFile file, bool created) : IStorageWriter
    {
        private readonly int _initialSize = file.Length;
        private bool _done;

        public long Size => file.Length;

        public Task WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            cancellationToken.ThrowIfCancellationRequested();
            file.Append(buffer.Span);
            return Task.CompletedTask;
        }

        public Task CommitAsync(CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            _done = true;
            return Task.CompletedTask;
        }

        public Task CancelAsync(CancellationToken cancellationToken = default)
        {
            if (_done) return Task.CompletedTask;
            _done = true;
            if (created) driver.Forget(path, file);
            else file.Truncate(_initialSize);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => new(CancelAsync());
    }

    /// <summary>A read-only, seekable stream over a memory snapshot.</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> content) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => content.Length;

        public override long Position
        {
            get => _position;
            set => _position = (int)Math.Clamp(value, 0, content.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, content.Length - _position);
            content.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => content.Length + offset,
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
