using Berth.Shim.Protocol;

namespace Berth.Engine.Tasks.Shim;

/// <summary>A shim stream seen as the task's: its frames as task frames, a shim gone as the stream's end.</summary>
internal sealed class ShimTaskStream(ShimStream stream) : ITaskStream
{
    public async ValueTask<TaskFrame?> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        ShimFrame? read;
        try
        {
            read = await stream.ReadFrameAsync(cancellationToken);
        }
        catch (Exception e) when (ShimTask.IsGone(e))
        {
            return null;
        }
        if (read is not { } frame) return null;
        return frame.Type == ShimFrameType.Exit
            ? new TaskFrame(TaskFrameKind.Exit, default, frame.ExitCode)
            : new TaskFrame((TaskFrameKind)frame.Type, frame.Payload);
    }

    public ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        stream.WriteStdinAsync(data, cancellationToken);

    public Task CloseStdinAsync() => stream.CloseStdinAsync();

    public void Dispose() => stream.Dispose();
}
