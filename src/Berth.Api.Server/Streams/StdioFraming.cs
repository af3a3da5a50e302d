using System.Buffers.Binary;
using System.IO.Pipelines;
using Berth.Engine.Containers;

namespace Berth.Api.Server.Streams;

/// <summary>
/// Docker's stdio framing: without a TTY every chunk is a frame <c>[stream, 0, 0, 0, size:u32be]</c> + payload
/// (<c>application/vnd.docker.multiplexed-stream</c>); with a TTY the bytes go raw (<c>application/vnd.docker.raw-stream</c>).
/// Never a zero-length frame: docker-py's readers take one for the end.
/// </summary>
public static class StdioFraming
{
    public const string Multiplexed = "application/vnd.docker.multiplexed-stream";
    public const string Raw = "application/vnd.docker.raw-stream";

    public static string ContentType(bool tty) => tty ? Raw : Multiplexed;

    public static async ValueTask<FlushResult> WriteAsync(PipeWriter output, bool tty, OutputFrame frame, CancellationToken cancellationToken)
    {
        if (frame.Data.IsEmpty) return default;
        if (!tty)
        {
            var header = output.GetSpan(8);
            header[0] = (byte)frame.Stream;
            header[1] = header[2] = header[3] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)frame.Data.Length);
            output.Advance(8);
        }
        await output.WriteAsync(frame.Data, cancellationToken);
        return await output.FlushAsync(cancellationToken);
    }
}
