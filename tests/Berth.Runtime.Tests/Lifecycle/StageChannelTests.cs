using Berth.Linux;
using Berth.Runtime.Stages;

namespace Berth.Runtime.Tests.Lifecycle;

public sealed class StageChannelTests
{
    [Fact]
    public void Messages_cross_a_pipe_intact()
    {
        using var pipe = FileDescriptors.Pipe();
        using var writer = new StageChannel(pipe.Write);
        using var reader = new StageChannel(pipe.Read);
        writer.Send(new StageMessage(StageMessageKind.Process, 0, "{\"é\": 1}"));
        writer.Send(StageMessageKind.Ready);
        Assert.Equal(new StageMessage(StageMessageKind.Process, 0, "{\"é\": 1}"), reader.Receive());
        reader.Expect(StageMessageKind.Ready, "init");
    }

    [Fact]
    public void A_failure_in_place_of_the_expected_message_throws_the_stages_error()
    {
        using var pipe = FileDescriptors.Pipe();
        using var writer = new StageChannel(pipe.Write);
        using var reader = new StageChannel(pipe.Read);
        writer.Send(StageMessage.Failure(new LinuxException("mount", "/x", Errno.EPERM)));
        var e = Assert.Throws<StageFailedException>(() => reader.Expect(StageMessageKind.Ready, "init"));
        Assert.Equal(Errno.EPERM, e.Errno);
        Assert.StartsWith("mount /x: ", e.Message);
    }

    [Fact]
    public void End_of_stream_names_the_message_that_never_came()
    {
        using var pipe = FileDescriptors.Pipe();
        using var reader = new StageChannel(pipe.Read);
        pipe.Write.Dispose();
        var e = Assert.Throws<StageFailedException>(() => reader.Expect(StageMessageKind.MountsReady, "init"));
        Assert.Equal("init exited before it sent MountsReady", e.Message);
    }
}
