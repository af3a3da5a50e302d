namespace Berth.Spdy.Tests;

public sealed class FrameTests
{
    public static TheoryData<Frame> Frames() => new()
    {
        new RstStreamFrame(3, RstStreamStatus.Cancel),
        new PingFrame(7),
        new GoAwayFrame(9, 1),
        new WindowUpdateFrame(5, 65536),
        new SettingsFrame(true, [new Setting(1, 4, 100), new Setting(0, 7, 65536)]),
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public async Task A_control_frame_round_trips(Frame frame)
    {
        var read = await RoundTripAsync(frame);

        if (frame is SettingsFrame settings) Assert.Equal(settings.Settings, Assert.IsType<SettingsFrame>(read).Settings);
        else Assert.Equal(frame, read);
    }

    [Fact]
    public async Task Data_frames_keep_their_stream_flags_and_bytes()
    {
        var read = Assert.IsType<DataFrame>(await RoundTripAsync(new DataFrame(0x7fffffff, true, "hello"u8.ToArray())));

        Assert.Equal(0x7fffffffu, read.StreamId);
        Assert.True(read.Fin);
        Assert.Equal("hello"u8.ToArray(), read.Data.ToArray());
    }

    [Fact]
    public async Task A_ping_is_written_as_the_spec_draws_it()
    {
        var output = new MemoryStream();
        await new FrameWriter(output).WriteAsync(new PingFrame(1));

        Assert.Equal("800300060000000400000001", Convert.ToHexStringLower(output.ToArray()));
    }

    [Fact]
    public async Task An_unknown_control_frame_is_skipped_over()
    {
        var bytes = Convert.FromHexString("8003000f00000002abcd" + "800300060000000400000001");
        using var reader = new FrameReader(new MemoryStream(bytes));

        Assert.Equal(new UnknownFrame(15), await reader.ReadAsync());
        Assert.Equal(new PingFrame(1), await reader.ReadAsync());
        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public async Task Another_version_is_refused()
    {
        using var reader = new FrameReader(new MemoryStream(Convert.FromHexString("800200060000000400000001")));

        await Assert.ThrowsAsync<SpdyProtocolException>(async () => await reader.ReadAsync());
    }

    [Fact]
    public async Task A_connection_cut_inside_a_frame_is_a_protocol_error()
    {
        using var reader = new FrameReader(new MemoryStream(Convert.FromHexString("80030006000000040000")));

        await Assert.ThrowsAsync<SpdyProtocolException>(async () => await reader.ReadAsync());
    }

    private static async Task<Frame?> RoundTripAsync(Frame frame)
    {
        var output = new MemoryStream();
        await new FrameWriter(output).WriteAsync(frame);
        output.Position = 0;
        using var reader = new FrameReader(output);
        return await reader.ReadAsync();
    }
}
