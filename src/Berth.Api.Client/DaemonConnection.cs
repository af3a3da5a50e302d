using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;

namespace Berth.Api.Client;

/// <summary>
/// One open connection to the daemon: a duplex byte stream that can be half-closed (stdin EOF on a hijacked attach
/// while output keeps flowing). Over a socket that is <c>shutdown(SHUT_WR)</c>, over TLS the close_notify alert (as
/// Go's <c>tls.Conn.CloseWrite</c>), over <c>ssh</c> closing its stdin. Disposing closes it all.
/// </summary>
public sealed class DaemonConnection : IDisposable
{
    private readonly Func<ValueTask> _closeWrite;

    private DaemonConnection(Stream stream, Func<ValueTask> closeWrite)
    {
        Stream = stream;
        _closeWrite = closeWrite;
    }

    public Stream Stream { get; }

    public static DaemonConnection OverSocket(Socket socket) => new(new NetworkStream(socket, ownsSocket: true), () =>
    {
        socket.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    });

    public static DaemonConnection OverTls(SslStream tls) => new(tls, () => new ValueTask(tls.ShutdownAsync()));

    /// <summary>A helper process's stdin and stdout as the connection (<c>ssh … berth system dial-stdio</c>).</summary>
    public static DaemonConnection OverProcess(Process process) => new(new ProcessStream(process), () =>
    {
        process.StandardInput.BaseStream.Dispose();
        return ValueTask.CompletedTask;
    });

    /// <summary>Half-closes; errors from a connection already gone are left for the read side to report.</summary>
    public async ValueTask CloseWriteAsync()
    {
        try
        {
            await _closeWrite().ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    public void Dispose() => Stream.Dispose();

    /// <summary>Reads the process's stdout, writes its stdin; disposing ends the process.</summary>
    private sealed class ProcessStream(Process process) : Stream
    {
        private readonly Stream _output = process.StandardOutput.BaseStream;
        private readonly Stream _input = process.StandardInput.BaseStream;

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _output.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _output.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _output.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) => _input.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _input.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _input.WriteAsync(buffer, offset, count, cancellationToken);
        public override void Flush() => _input.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => _input.FlushAsync(cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                try
                {
                    if (!process.HasExited)
                        process.Kill();
                }
                catch (InvalidOperationException)
                {
                    // It ended on its own in between.
                }
                process.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
