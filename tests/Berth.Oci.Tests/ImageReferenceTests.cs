using Berth.Oci.Image;

namespace Berth.Oci.Tests;

public sealed class ImageReferenceTests
{
    private const string Hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    // input, normalised, familiar, domain, path, tag
    [InlineData("busybox", "docker.io/library/busybox", "busybox", "docker.io", "library/busybox", null)]
    [InlineData("busybox:latest", "docker.io/library/busybox:latest", "busybox:latest", "docker.io", "library/busybox", "latest")]
    [InlineData("library/busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36", "docker.io", "library/busybox", "1.36")]
    [InlineData("docker.io/library/busybox", "docker.io/library/busybox", "busybox", "docker.io", "library/busybox", null)]
    [InlineData("index.docker.io/busybox", "docker.io/library/busybox", "busybox", "docker.io", "library/busybox", null)]
    [InlineData("user/app:v1", "docker.io/user/app:v1", "user/app:v1", "docker.io", "user/app", "v1")]
    [InlineData("docker.io/library/a/b", "docker.io/library/a/b", "library/a/b", "docker.io", "library/a/b", null)]
    [InlineData("localhost/app", "localhost/app", "localhost/app", "localhost", "app", null)]
    [InlineData("localhost:5000/a/b:t", "localhost:5000/a/b:t", "localhost:5000/a/b:t", "localhost:5000", "a/b", "t")]
    [InlineData("registry.example.com/team/app:1.0-rc_1", "registry.example.com/team/app:1.0-rc_1", "registry.example.com/team/app:1.0-rc_1", "registry.example.com", "team/app", "1.0-rc_1")]
    [InlineData("127.0.0.1:5000/x", "127.0.0.1:5000/x", "127.0.0.1:5000/x", "127.0.0.1:5000", "x", null)]
    [InlineData("[::1]:5000/x:y", "[::1]:5000/x:y", "[::1]:5000/x:y", "[::1]:5000", "x", "y")]
    [InlineData("Registry.Example.com/x", "Registry.Example.com/x", "Registry.Example.com/x", "Registry.Example.com", "x", null)]
    [InlineData("a__b/c-d--e.f_g", "docker.io/a__b/c-d--e.f_g", "a__b/c-d--e.f_g", "docker.io", "a__b/c-d--e.f_g", null)]
    public void NamesNormaliseAsDockersDo(string input, string normalised, string familiar, string domain, string path, string? tag)
    {
        var reference = ImageReference.Parse(input);
        Assert.Equal((normalised, familiar, domain, path, tag), (reference.ToString(), reference.Familiar, reference.Domain, reference.Path, reference.Tag));
    }

    [Fact]
    public void DigestsAreKeptWithOrWithoutATag()
    {
        var digested = ImageReference.Parse($"busybox@sha256:{Hex}");
        Assert.Equal(($"docker.io/library/busybox@sha256:{Hex}", $"busybox@sha256:{Hex}", null), (digested.ToString(), digested.Familiar, digested.Tag));
        var both = ImageReference.Parse($"localhost:5000/x:y@sha256:{Hex}");
        Assert.Equal(("y", $"sha256:{Hex}"), (both.Tag, both.Digest.ToString()));
        Assert.Equal($"localhost:5000/x@sha256:{Hex}", both.WithDigest(both.Digest!.Value).ToString());
    }

    [Fact]
    public void DefaultTagIsLatestOnlyWithoutTagOrDigest()
    {
        Assert.Equal("docker.io/library/busybox:latest", ImageReference.Parse("busybox").WithDefaultTag().ToString());
        Assert.Equal("docker.io/library/busybox:1", ImageReference.Parse("busybox:1").WithDefaultTag().ToString());
        Assert.Null(ImageReference.Parse($"busybox@sha256:{Hex}").WithDefaultTag().Tag);
        Assert.Equal("busybox", ImageReference.Parse("busybox:1").NameOnly().Familiar);
        Assert.Equal(ImageReference.Parse("busybox:latest"), ImageReference.Parse("docker.io/library/busybox:latest"));
    }

    [Theory]
    [InlineData("", "invalid reference format")]
    [InlineData("Busybox", "invalid reference format: repository name (library/Busybox) must be lowercase")]
    [InlineData("user/App:v1", "invalid reference format: repository name (user/App) must be lowercase")]
    [InlineData("busybox:", "invalid reference format")]
    [InlineData(":tag", "invalid reference format")]
    [InlineData("busybox:-bad", "invalid reference format")]
    [InlineData("a//b", "invalid reference format")]
    [InlineData("-a/b", "invalid reference format")]
    [InlineData("a/b/", "invalid reference format")]
    [InlineData("busybox@sha256:abc", "invalid reference format")]
    [InlineData("a b", "invalid reference format")]
    [InlineData("busybox:tag\u00e9", "invalid reference format")]
    [InlineData(Hex, "invalid repository name (" + Hex + "), cannot specify 64-byte hexadecimal strings")]
    public void InvalidReferencesAreRefusedWithDockersMessage(string input, string message)
    {
        var error = Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(input));
        Assert.Equal(message, error.Message);
        Assert.False(ImageReference.TryParse(input, out _));
    }

    [Fact]
    public void TagsAreAtMost128WordCharacters()
    {
        Assert.True(ImageReference.IsValidTag(new string('a', 128)));
        Assert.False(ImageReference.IsValidTag(new string('a', 129)));
        Assert.False(ImageReference.IsValidTag(".hidden"));
        Assert.Throws<ImageReferenceException>(() => ImageReference.Parse("a").WithTag("bad tag"));
        Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(new string('a', 256)));
    }
}
