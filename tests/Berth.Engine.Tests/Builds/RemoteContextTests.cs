using Berth.Build;
using Berth.Engine.Builds;

namespace Berth.Engine.Tests.Builds;

/// <summary>Remote contexts told apart and git addresses split as moby's classic builder does.</summary>
public sealed class RemoteContextTests
{
    [Theory]
    [InlineData("git://host/repo", true)]
    [InlineData("git@github.com:org/repo.git", true)]
    [InlineData("github.com/org/repo", true)]
    [InlineData("https://host/org/repo.git", true)]
    [InlineData("https://host/org/repo.git#main:docker", true)]
    [InlineData("https://host/context.tar.gz", false)]
    [InlineData("http://host/repo.git/Dockerfile", false)]
    [InlineData("ftp://host/repo.git", false)]
    public void Git_urls_are_recognised_as_moby_recognises_them(string remote, bool git) =>
        Assert.Equal(git, RemoteContext.IsGitUrl(remote));

    [Theory]
    [InlineData("https://host/repo.git", "https://host/repo.git", "master", "")]
    [InlineData("https://host/repo.git#v1.2", "https://host/repo.git", "v1.2", "")]
    [InlineData("https://host/repo.git#:docker", "https://host/repo.git", "master", "docker")]
    [InlineData("git://host/repo#pull/42/head:a/b", "git://host/repo", "pull/42/head", "a/b")]
    [InlineData("github.com/org/repo#dev", "https://github.com/org/repo", "dev", "")]
    [InlineData("git@host:org/repo.git#dev:sub", "git@host:org/repo.git", "dev", "sub")]
    public void A_git_address_gives_the_remote_the_ref_and_the_subdirectory(string url, string remote, string reference, string subdirectory) =>
        Assert.Equal((remote, reference, subdirectory), GitCheckout.Parse(url));

    [Fact]
    public void A_ref_that_reads_as_an_option_is_refused() =>
        Assert.Equal("invalid refspec: -upload-pack=x", Assert.Throws<BuildException>(() => GitCheckout.Parse("git://host/repo#-upload-pack=x")).Message);
}
