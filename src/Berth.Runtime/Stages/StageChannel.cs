using System.Buffers.Binary;
using System.Text;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Stages;

/// <summary>
/// One direction of a stage conversation over a pipe: frames of [kind:1][errno:4][length:4][UTF-8 text].
/// Each wait names the message it expects; a <see cref="StageMessageKind.Failed"/> in its place throws the stage's error.
/// </summary>
public sealed class StageChannel(SafeFileHandle fd) : IDisposable
{
    private const int HeaderSize = 9;

    public SafeFileHandle Handle => fd;

    public void Send(StageMessage message)
    {
        var text = Encoding.UTF8.GetBytes(message.Text);
        var frame = new byte[HeaderSize + text.Length];
        frame[0] = (byte)message.Kind;
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(1), message.Errno);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(5), text.Length);
        text.CopyTo(frame, HeaderSize);
        FileDescriptors.WriteAll(fd, frame);
    }

    public void Send(StageMessageKind kind) => Send(new StageMessage(kind));

    /// <summary>Reads the next message, or null at end of stream (the other side exited).</summary>
    public StageMessage? Receive()
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        if (!ReadExactly(header)) return null;
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[5..]);
        if (length is < 0 or > 1 << 20) throw new InvalidDataException($"stage message of {length} bytes");
        var text = new byte[length];
        if (!ReadExactly(text)) return null;
        return new StageMessage((StageMessageKind)header[0], BinaryPrimitives.ReadInt32LittleEndian(header[1..]), Encoding.UTF8.GetString(text));
    }

    /// <summary>Waits for <paramref name="expected"/>; throws the stage's own error if it failed instead.</summary>
    public void Expect(StageMessageKind expected, string stage)
    {
        var message = Receive() ?? throw new StageFailedException($"{stage} exited before it sent {expected}");
        if (message.Kind == StageMessageKind.Failed) throw new StageFailedException(message.Text, message.Errno);
        if (message.Kind != expected) throw new StageFailedException($"{stage} sent {message.Kind}, expected {expected}");
    }

    private bool ReadExactly(Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var n = FileDescriptors.Read(fd, buffer);
            if (n == 0) return false;
            buffer = buffer[n..];
        }
        return true;
    }

    public void Dispose() => fd.Dispose();
}
