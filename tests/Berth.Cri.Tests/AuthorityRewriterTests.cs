using System.Buffers;
using System.Text;
using Berth.Cri.Transport;

namespace Berth.Cri.Tests;

/// <summary>The socket path that Kubernetes 1.29's gRPC clients send as <c>:authority</c> becomes <c>localhost</c>, and nothing else changes.</summary>
public sealed class AuthorityRewriterTests
{
    private static readonly byte[] SocketPath = Encoding.ASCII.GetBytes("/run/berth/cri.sock");

    /// <summary>:method POST (indexed), :authority with incremental indexing (static name 1), a literal header, an indexed dynamic entry.</summary>
    private static byte[] Block(byte[] authority) =>
        [0x83, 0x41, (byte)authority.Length, .. authority, 0x00, 0x02, (byte)'t', (byte)'e', 0x08, .. "trailers"u8, 0xBE];

    private static byte[] Frame(byte type, byte flags, byte[] payload) =>
        [(byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, type, flags, 0, 0, 0, 1, .. payload];

    private static byte[] Rewrite(params byte[][] frames)
    {
        var input = new ReadOnlySequence<byte>(frames.SelectMany(f => f).ToArray());
        var output = new ArrayBufferWriter<byte>();
        while (AuthorityRewriter.TryRewriteFrame(ref input, output)) { }
        Assert.Equal(0, input.Length);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void A_path_authority_in_a_HEADERS_frame_becomes_localhost()
    {
        Assert.Equal(Frame(0x1, 0x5, Block("localhost"u8.ToArray())), Rewrite(Frame(0x1, 0x5, Block(SocketPath))));
    }

    [Fact]
    public void Padding_is_dropped_and_priority_kept()
    {
        byte[] priority = [0, 0, 0, 3, 15];
        byte[] padded = [2, .. priority, .. Block(SocketPath), 0, 0];

        Assert.Equal(Frame(0x1, 0x24, [.. priority, .. Block("localhost"u8.ToArray())]), Rewrite(Frame(0x1, 0x2C, padded)));
    }

    [Fact]
    public void Other_frames_and_headers_without_an_authority_pass_unchanged_and_a_partial_frame_waits()
    {
        var data = Frame(0x0, 0x1, [1, 2, 3]);
        var settings = Frame(0x4, 0x0, [0, 3, 0, 0, 0, 100]);
        var plain = Frame(0x1, 0x5, [0x83, 0x86]);
        var continued = Frame(0x1, 0x1, Block(SocketPath)); // no END_HEADERS: left alone
        Assert.Equal([.. data, .. settings, .. plain, .. continued], Rewrite(data, settings, plain, continued));

        var partial = new ReadOnlySequence<byte>(data[..^1]);
        Assert.False(AuthorityRewriter.TryRewriteFrame(ref partial, new ArrayBufferWriter<byte>()));
        Assert.Equal(data.Length - 1, partial.Length);
    }

    [Fact]
    public void A_literal_authority_name_is_found_too()
    {
        byte[] block = [0x40, 10, .. ":authority"u8, (byte)SocketPath.Length, .. SocketPath];
        byte[] expected = [0x40, 10, .. ":authority"u8, 9, .. "localhost"u8];

        Assert.Equal(Frame(0x1, 0x4, expected), Rewrite(Frame(0x1, 0x4, block)));
    }
}
