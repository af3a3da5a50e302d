using System.Net;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

public sealed class DnsCodecTests
{
    [Fact]
    public void A_query_reads_back_as_written()
    {
        var message = DnsReader.Read(DnsProbe.Query("Web.Example", DnsType.A, id: 0xBEEF));
        Assert.Equal(0xBEEF, message.Id);
        Assert.False(message.IsResponse);
        Assert.True(message.RecursionDesired);
        Assert.Equal([new DnsQuestion("Web.Example", DnsType.A)], message.Questions);
        Assert.Null(message.EdnsUdpSize);
    }

    [Fact]
    public void Edns_offer_is_read_from_the_opt_record_and_never_below_512()
    {
        Assert.Equal(4096, DnsReader.Read(DnsProbe.Query("a", DnsType.A, edns: 4096)).EdnsUdpSize);
        Assert.Equal(512, DnsReader.Read(DnsProbe.Query("a", DnsType.A, edns: 100)).EdnsUdpSize);
    }

    [Fact]
    public void Compressed_names_are_followed()
    {
        // Header, question "web.net" A IN, answer whose name is a pointer to the question (offset 12), PTR data "x" + pointer.
        byte[] message =
        [
            0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
            3, (byte)'w', (byte)'e', (byte)'b', 3, (byte)'n', (byte)'e', (byte)'t', 0, 0, 12, 0, 1,
            0xC0, 12, 0, 12, 0, 1, 0, 0, 0, 60, 0, 4, 1, (byte)'x', 0xC0, 16,
        ];
        var read = DnsReader.Read(message);
        var answer = Assert.Single(read.Answers);
        Assert.Equal("web.net", answer.Name);
        Assert.Equal("x.net", answer.Target);
        Assert.Equal(60u, answer.Ttl);
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 12 })] // a pointer to itself
    [InlineData(new byte[] { 0xC0, 14 })] // a pointer ahead
    [InlineData(new byte[] { 0x40 })] // an extended label type
    [InlineData(new byte[] { 5, (byte)'a' })] // a label cut short
    public void Bad_names_are_format_errors(byte[] name)
    {
        byte[] message = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, .. name, 0, 0, 1, 0, 1];
        Assert.Throws<DnsFormatException>(() => DnsReader.Read(message));
    }

    [Fact]
    public void Short_message_is_a_format_error()
    {
        Assert.Throws<DnsFormatException>(() => DnsReader.Read([0, 1, 0, 0, 0, 1]));
        Assert.Throws<DnsFormatException>(() => DnsReader.Read([0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])); // a question promised, none there
    }

    [Fact]
    public void Answer_names_are_compressed_against_the_question()
    {
        var query = DnsReader.Read(DnsProbe.Query("web.net", DnsType.A));
        var bytes = DnsWriter.Write(DnsMessage.ReplyTo(query, answers: [DnsRecord.ForAddress("web.net", IPAddress.Parse("10.0.0.2"), 600)]));
        Assert.Equal(12 + 9 + 4 + 2 + 10 + 4, bytes.Length); // header, question, answer as a pointer + fixed fields + address
        Assert.Equal([0xC0, 12], bytes[25..27]);
        var read = DnsReader.Read(bytes);
        Assert.True(read.IsResponse);
        Assert.True(read.RecursionAvailable);
        Assert.Equal(IPAddress.Parse("10.0.0.2"), Assert.Single(read.Answers).Address);
    }

    [Fact]
    public void Escaped_dots_survive_a_round_trip()
    {
        var read = DnsReader.Read(DnsProbe.Query(@"a\.b.c", DnsType.A));
        Assert.Equal(@"a\.b.c", read.Questions[0].Name);
    }

    [Fact]
    public void Udp_answer_over_512_bytes_keeps_what_fits_and_sets_TC_unless_EDNS_offers_more()
    {
        var query = DnsReader.Read(DnsProbe.Query("many.net", DnsType.A));
        var answers = Enumerable.Range(1, 60).Select(i => DnsRecord.ForAddress("many.net", IPAddress.Parse($"10.0.0.{i}"), 600)).ToList();
        var reply = DnsMessage.ReplyTo(query, answers: answers);

        var cut = DnsWriter.Write(reply, 512);
        Assert.True(cut.Length <= 512);
        var read = DnsReader.Read(cut);
        Assert.True(read.Truncated);
        Assert.Equal((512 - 12 - 14) / 16, read.Answers.Count);

        var whole = DnsReader.Read(DnsWriter.Write(reply, 4096));
        Assert.False(whole.Truncated);
        Assert.Equal(60, whole.Answers.Count);
    }
}
