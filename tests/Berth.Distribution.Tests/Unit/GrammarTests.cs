using Berth.Distribution.Server;

namespace Berth.Distribution.Tests.Unit;

public sealed class GrammarTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("library/busybox", true)]
    [InlineData("a.b_c__d---e/f9", true)]
    [InlineData("A", false)]
    [InlineData("a/", false)]
    [InlineData("/a", false)]
    [InlineData("a//b", false)]
    [InlineData("a___b", false)]
    [InlineData("a.-b", false)]
    [InlineData("a:5000/b", false)]
    [InlineData("..", false)]
    public void RepositoryNames(string name, bool valid) => Assert.Equal(valid, Grammar.IsName(name));

    [Fact]
    public void NamesLongerThan255AreInvalid()
    {
        Assert.True(Grammar.IsName(new string('a', 255)));
        Assert.False(Grammar.IsName(new string('a', 256)));
    }

    [Theory]
    [InlineData("latest", true)]
    [InlineData("_x", true)]
    [InlineData("v1.2.3-rc_1", true)]
    [InlineData(".hidden", false)]
    [InlineData("-x", false)]
    [InlineData("a/b", false)]
    public void Tags(string tag, bool valid) => Assert.Equal(valid, Grammar.IsTag(tag));

    [Fact]
    public void TagsAreAtMost128Characters()
    {
        Assert.True(Grammar.IsTag(new string('a', 128)));
        Assert.False(Grammar.IsTag(new string('a', 129)));
    }

    [Theory]
    [InlineData("md5:0123")]
    [InlineData("sha256:abc")]
    [InlineData("sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData(null)]
    public void UnverifiableDigestsAreDigestInvalid(string? digest)
    {
        var error = Assert.Throws<RegistryException>(() => Grammar.RequireDigest(digest));
        Assert.Equal("DIGEST_INVALID", error.Code.Code);
    }
}
