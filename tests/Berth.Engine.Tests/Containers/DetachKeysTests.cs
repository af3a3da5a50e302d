using Berth.Engine.Containers;
using Berth.Engine.Tasks;

namespace Berth.Engine.Tests.Containers;

public sealed class DetachKeysTests
{
    [Theory]
    [InlineData(null, new byte[] { 16, 17 })]
    [InlineData("", new byte[] { 16, 17 })]
    [InlineData("ctrl-x", new byte[] { 24 })]
    [InlineData("a,ctrl-@,ctrl-_,DEL", new byte[] { (byte)'a', 0, 31, 127 })]
    public void Keys_read_as_docker_reads_them(string? keys, byte[] expected)
    {
        Assert.Equal(expected, DetachKeys.Parse(keys));
    }

    [Theory]
    [InlineData("ctrl-1")]
    [InlineData("ab")]
    [InlineData("ctrl-p,")]
    public void Anything_else_is_refused(string keys)
    {
        var error = Assert.Throws<EngineException>(() => DetachKeys.Parse(keys));
        Assert.Equal($"Invalid detach keys ({keys}) provided", error.Message);
    }

    [Fact]
    public async Task The_sequence_detaches_and_what_only_began_it_is_passed_on()
    {
        var session = new StreamSession(tty: false, stdin: true, stdout: true, stderr: false, DetachKeys.Parse("ctrl-p,ctrl-q"));
        var process = new RecordingStream();
        session.Connect(process);

        await session.WriteInputAsync(new byte[] { (byte)'a', 16, (byte)'b', 16 });
        await session.WriteInputAsync(new byte[] { 16, 17, (byte)'c' });

        Assert.True(session.DetachedByKeys);
        Assert.False(await session.Output.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)), "the output did not end");
        Assert.Equal(new byte[] { (byte)'a', 16, (byte)'b', 16 }, process.Stdin.ToArray());
        Assert.False(process.StdinClosed);
    }

    /// <summary>A process's stream that records its stdin and has no output until it is disposed.</summary>
    private sealed class RecordingStream : ITaskStream
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<byte> Stdin { get; } = [];
        public bool StdinClosed { get; private set; }

        public async ValueTask<TaskFrame?> ReadFrameAsync(CancellationToken cancellationToken = default)
        {
            await _disposed.Task.WaitAsync(cancellationToken);
            return null;
        }

        public ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
        {
            lock (Stdin) Stdin.AddRange(data.ToArray());
            return ValueTask.CompletedTask;
        }

        public Task CloseStdinAsync()
        {
            StdinClosed = true;
            return Task.CompletedTask;
        }

        public void Dispose() => _disposed.TrySetResult();
    }
}
