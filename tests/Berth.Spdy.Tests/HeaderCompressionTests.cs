namespace Berth.Spdy.Tests;

/// <summary>Header blocks against the bytes of Go's SPDY framer (moby/spdystream, as vendored by cri-tools v1.29).</summary>
public sealed class HeaderCompressionTests
{
    /// <summary>
    /// Four SYN_STREAMs written by Go's framer (zlib at best compression, SPDY/3's dictionary) with the headers
    /// streamtype error, stdin, stdout, then port 8080: they refer back into the dictionary and into the blocks before.
    /// </summary>
    private const string GoSynStreams =
        "80030001000000290000000100000000000078f9e3c6a7c26260606004a7b392a2d4c45c6851c29a0a0a6800000000ffff" +
        "800300010000001700000003000000000000c22e555c92929907000000ffff" +
        "800300010000001900000005000000000000c22ac5565c92925f5a02000000ffff" +
        "800300010000001c0000000700000000000082cab114e41781338f85818501000000ffff";

    /// <summary>What <see cref="FrameWriter"/> writes for three frames, which Go's framer reads back as the same headers.</summary>
    private const string OurFrames =
        "80030002000000180000000178f9e3c6a7c2000400fbff00000000000000ffff" +
        "800300010000003c00000002000000000000002800d7ff000000020000000a73747265616d74797065000000046461746100000004706f7274000000023830000000ffff" +
        "800300020000001c00000003000e00f1ff0000000100000001780000000179000000ffff";

    [Fact]
    public async Task Reads_the_header_blocks_Go_compresses_with_the_dictionary()
    {
        using var reader = new FrameReader(new MemoryStream(Convert.FromHexString(GoSynStreams)));
        var frames = new List<SynStreamFrame>();
        while (await reader.ReadAsync() is SynStreamFrame frame) frames.Add(frame);

        Assert.Equal([1u, 3u, 5u, 7u], frames.Select(f => f.StreamId));
        Assert.Equal(["error", "stdin", "stdout"], frames.Take(3).Select(f => Assert.Single(f.Headers, h => h.Key == "streamtype").Value));
        Assert.Equal("8080", Assert.Single(frames[3].Headers).Value);
    }

    [Fact]
    public async Task Writes_header_blocks_Go_reads()
    {
        var output = new MemoryStream();
        var writer = new FrameWriter(output);
        await writer.WriteAsync(new SynReplyFrame(1, false, new Dictionary<string, string>()));
        await writer.WriteAsync(new SynStreamFrame(2, 0, 0, false, new Dictionary<string, string> { ["streamtype"] = "data", ["port"] = "80" }));
        await writer.WriteAsync(new SynReplyFrame(3, false, new Dictionary<string, string> { ["x"] = "y" }));

        Assert.Equal(OurFrames, Convert.ToHexStringLower(output.ToArray()));
    }

    [Fact]
    public async Task A_block_larger_than_a_stored_block_round_trips()
    {
        var headers = new Dictionary<string, string> { ["big"] = new('x', 100_000), ["small"] = "1" };
        var output = new MemoryStream();
        await new FrameWriter(output).WriteAsync(new HeadersFrame(5, true, headers));
        output.Position = 0;
        using var reader = new FrameReader(output);

        var frame = Assert.IsType<HeadersFrame>(await reader.ReadAsync());

        Assert.Equal(headers, frame.Headers);
        Assert.True(frame.Fin);
    }

    [Fact]
    public async Task A_block_compressed_with_another_dictionary_is_a_protocol_error()
    {
        var bytes = Convert.FromHexString(OurFrames[..64]);
        bytes[12] ^= 0xff; // the DICTID
        using var reader = new FrameReader(new MemoryStream(bytes));

        await Assert.ThrowsAsync<SpdyProtocolException>(async () => await reader.ReadAsync());
    }
}
