using System.Buffers.Binary;

namespace Berth.Shim.Protocol;

/// <summary>One frame of a shim stream: output of the process, or (exec only, last) its exit code.</summary>
public readonly record struct ShimFrame(ShimFrameType Type, byte[] Payload)
{
    /// <summary>The exit code an <see cref="ShimFrameType.Exit"/> frame carries.</summary>
    public int ExitCode => Type == ShimFrameType.Exit ? BinaryPrimitives.ReadInt32BigEndian(Payload) : throw new InvalidOperationException("not an exit frame");
}

/// <summary>
/// The stream of an attach or exec: frames from the shim until it closes (the process ended, or the client was too slow),
/// stdin to it when the request asked for stdin. States: open → (CloseStdinAsync: stdin at EOF, output still flows) → ended
/// (ReadFrameAsync returns null) → disposed.
/// </summary>
public sealed class ShimStream : IDisposable
{
    private readonly ShimConnection _connection;

    internal ShimStream(ShimConnection connection) => _connection = connection;

    /// <summary>The next frame, or null when the stream has ended.</summary>
    public ValueTask<ShimFrame?> ReadFrameAsync(CancellationToken cancellation = default) => _connection.ReadFrameAsync(cancellation);

    public ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation = default) => _connection.SendAsync(data, cancellation);

    /// <summary>Half-closes the connection: the process's stdin reaches EOF (exec, or a container started with --stdin-once).</summary>
    public Task CloseStdinAsync()
    {
        _connection.ShutdownSend();
        return Task.CompletedTask;
    }

    public void Dispose() => _connection.Dispose();
}
