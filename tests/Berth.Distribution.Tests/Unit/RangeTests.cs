using Berth.Distribution.Server;
using Berth.Distribution.Server.Http;

namespace Berth.Distribution.Tests.Unit;

public sealed class RangeTests
{
    [Theory]
    [InlineData("0-9", 0, 9)]
    [InlineData("bytes 10-19/100", 10, 19)]
    [InlineData("bytes=5-5", 5, 5)]
    public void ContentRangesParse(string header, long start, long end) =>
        Assert.Equal(new ContentRange(start, end), ContentRange.Parse(header));

    [Theory]
    [InlineData("9-0")]
    [InlineData("abc")]
    [InlineData("-5")]
    public void MalformedContentRangesAre416(string header)
    {
        var error = Assert.Throws<RegistryException>(() => ContentRange.Parse(header));
        Assert.Equal(416, error.Code.Status);
    }

    [Theory]
    [InlineData(0, "0-0")]
    [InlineData(1, "0-0")]
    [InlineData(10, "0-9")]
    public void UploadProgressIsReportedInclusive(long size, string range) => Assert.Equal(range, ContentRange.Report(size));

    [Theory]
    [InlineData(null)]
    [InlineData("items=0-1")]
    [InlineData("bytes=0-1,4-5")]
    [InlineData("bytes=5-2")]
    public void IgnorableRangesServeTheWholeBlob(string? header) => Assert.Null(ByteRange.Parse(header, 10));

    [Fact]
    public void RangeOfAnEmptyBlobIsUnsatisfiable() =>
        Assert.Equal(416, Assert.Throws<RegistryException>(() => ByteRange.Parse("bytes=0-", 0)).Code.Status);
}
