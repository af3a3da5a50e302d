namespace Berth.Shim;

/// <summary>A growable FIFO of bytes: what is waiting to be written to a non-blocking descriptor.</summary>
public sealed class ByteQueue
{
    private byte[] _buffer = [];
    private int _start, _end;

    public int Length => _end - _start;

    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > _buffer.Length - _end)
        {
            var length = Length;
            if (length + data.Length <= _buffer.Length)
                _buffer.AsSpan(_start, length).CopyTo(_buffer);
            else
            {
                var grown = new byte[Math.Max(length + data.Length, Math.Max(4096, _buffer.Length * 2))];
                _buffer.AsSpan(_start, length).CopyTo(grown);
                _buffer = grown;
            }
            _start = 0;
            _end = length;
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }

    public void Consume(int count)
    {
        _start += count;
        if (_start == _end) Clear();
    }

    /// <summary>Empties the queue and gives its memory back (a connection's bursts should not pin megabytes).</summary>
    public void Clear()
    {
        _start = _end = 0;
        if (_buffer.Length > 64 * 1024) _buffer = [];
    }
}
