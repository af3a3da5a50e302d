using System.Threading.Channels;
using Berth.Engine.Tasks;

namespace Berth.Engine.Containers;

/// <summary>One piece of a process's output: stdout (1) or stderr (2).</summary>
public readonly record struct OutputFrame(int Stream, ReadOnlyMemory<byte> Data);

/// <summary>
/// A client's end of a process's stdio (attach or exec). Output arrives on <see cref="Output"/>, which completes when
/// the process's output ended; input written before the shim stream exists (attach before start) is kept and
/// delivered in order once it does. Disposing detaches: the process keeps running.
/// </summary>
public sealed class StreamSession : IAsyncDisposable
{
    // Unbounded: a replayed log is written before the client reads; live output is bounded by the shim per client.
    private readonly Channel<OutputFrame> _output = Channel.CreateUnbounded<OutputFrame>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Channel<ReadOnlyMemory<byte>?> _input = Channel.CreateUnbounded<ReadOnlyMemory<byte>?>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _detached = new();
    private readonly TaskCompletionSource<int?> _exitCode = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _detachKeys;
    private int _matched;
    private bool _connected;

    /// <param name="detachKeys">The input sequence that detaches the client (none when empty).</param>
    public StreamSession(bool tty, bool stdin, bool stdout, bool stderr, byte[]? detachKeys = null)
    {
        Tty = tty;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
        _detachKeys = detachKeys ?? [];
    }

    public bool Tty { get; }
    public bool Stdin { get; }
    public bool Stdout { get; }
    public bool Stderr { get; }

    public ChannelReader<OutputFrame> Output => _output.Reader;

    /// <summary>The exit code sent at the end of an exec's stream; null for attach.</summary>
    public Task<int?> ExitCode => _exitCode.Task;

    /// <summary>
    /// The client's input for the process. Bytes that may begin the detach sequence are held back until it is
    /// complete (the client detaches: the output ends, the process keeps running with its stdin open) or broken
    /// (they are passed on), as Docker's escape proxy does.
    /// </summary>
    public ValueTask WriteInputAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (!Stdin || DetachedByKeys || _detached.IsCancellationRequested) return ValueTask.CompletedTask;
        if (_detachKeys.Length == 0) return _input.Writer.WriteAsync(data.ToArray(), cancellationToken);
        var forward = new List<byte>(data.Length);
        foreach (var b in data.Span)
        {
            if (b != _detachKeys[_matched])
            {
                forward.AddRange(_detachKeys.AsSpan(0, _matched));
                _matched = 0;
            }
            if (b == _detachKeys[_matched])
            {
                if (++_matched < _detachKeys.Length) continue;
                if (forward.Count > 0) _input.Writer.TryWrite(forward.ToArray());
                DetachedByKeys = true;
                _input.Writer.TryComplete(); // the input pump passes on what came before, then ends the output
                if (!_connected) _detached.Cancel();
                return ValueTask.CompletedTask;
            }
            forward.Add(b);
        }
        return forward.Count == 0 ? ValueTask.CompletedTask : _input.Writer.WriteAsync(forward.ToArray(), cancellationToken);
    }

    /// <summary>The client typed the detach sequence: its stream ended, the process goes on.</summary>
    public bool DetachedByKeys { get; private set; }

    /// <summary>The client half-closed: the process's stdin ends (for attach only when the container has StdinOnce).</summary>
    public void CloseInput() => _input.Writer.TryWrite(null);

    /// <summary>Output that precedes the live stream (attach with <c>logs=1</c>).</summary>
    internal ValueTask WriteReplayAsync(OutputFrame frame, CancellationToken cancellationToken) =>
        _output.Writer.WriteAsync(frame, cancellationToken);

    /// <summary>Ends the session with no output (the container exited before it started, or the start failed).</summary>
    internal void Complete()
    {
        _output.Writer.TryComplete();
        _exitCode.TrySetResult(null);
    }

    /// <summary>Pumps the task's frames out and the client's input in, until the shim ends the stream or the client leaves.</summary>
    internal void Connect(ITaskStream stream, Action<int>? onExit = null)
    {
        _connected = true;
        _ = PumpOutputAsync(stream, onExit);
        if (Stdin) _ = PumpInputAsync(stream);
    }

    private async Task PumpOutputAsync(ITaskStream stream, Action<int>? onExit)
    {
        int? exit = null;
        try
        {
            while (await stream.ReadFrameAsync(_detached.Token) is { } frame)
            {
                if (frame.Kind == TaskFrameKind.Exit)
                {
                    exit = frame.ExitCode;
                    onExit?.Invoke(frame.ExitCode);
                    continue;
                }
                if ((frame.Kind == TaskFrameKind.Stdout && !Stdout) || (frame.Kind == TaskFrameKind.Stderr && !Stderr) || frame.Payload.Length == 0) continue;
                await _output.Writer.WriteAsync(new OutputFrame((int)frame.Kind, frame.Payload), _detached.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or TaskGoneException)
        {
            // the client detached, or the shim went away: the stream ends here
        }
        finally
        {
            _exitCode.TrySetResult(exit);
            _output.Writer.TryComplete();
            stream.Dispose();
        }
    }

    private async Task PumpInputAsync(ITaskStream stream)
    {
        try
        {
            await foreach (var data in _input.Reader.ReadAllAsync(_detached.Token))
            {
                if (data is not { } bytes)
                {
                    await stream.CloseStdinAsync();
                    return;
                }
                await stream.WriteStdinAsync(bytes, _detached.Token);
            }
            if (DetachedByKeys) _detached.Cancel();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or TaskGoneException or ObjectDisposedException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _detached.Cancel();
        _input.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
