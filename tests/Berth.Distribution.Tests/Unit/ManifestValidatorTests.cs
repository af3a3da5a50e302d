using System.Text;
using Berth.Distribution.Server;

namespace Berth.Distribution.Tests.Unit;

public sealed class ManifestValidatorTests
{
    private static readonly byte[] Config = "{}"u8.ToArray();
    private static readonly byte[] Layer = "layer"u8.ToArray();

    [Fact]
    public void MediaTypeComesFromTheDocumentFirst()
    {
        var document = ManifestValidator.Parse(Manifests.Image(Manifests.Docker, Config, Layer), "application/json");
        Assert.Equal(Manifests.Docker, document.MediaType);
        Assert.Single(document.Layers!);
    }

    [Fact]
    public void WithoutAMediaTypeFieldTheContentTypeDecides()
    {
        var json = Encoding.UTF8.GetString(Manifests.Index(Manifests.OciIndex, (TestRegistry.Sha256([1]), 1)))
            .Replace($"\"mediaType\": \"{Manifests.OciIndex}\", ", "");
        Assert.Equal(Manifests.OciIndex, ManifestValidator.Parse(Encoding.UTF8.GetBytes(json), Manifests.OciIndex).MediaType);
        Assert.Equal(Manifests.OciIndex, ManifestValidator.Parse(Encoding.UTF8.GetBytes(json), null).MediaType);
    }

    [Fact]
    public void DockerManifestsMustNameTheirMediaType()
    {
        var json = Encoding.UTF8.GetString(Manifests.Image(Manifests.Oci, Config, Layer)).Replace($"\"mediaType\": \"{Manifests.Oci}\",", "");
        var error = Assert.Throws<RegistryException>(() => ManifestValidator.Parse(Encoding.UTF8.GetBytes(json), Manifests.Docker));
        Assert.Equal("MANIFEST_INVALID", error.Code.Code);
    }

    [Theory]
    [InlineData("application/vnd.docker.distribution.manifest.v1+prettyjws")]
    [InlineData("application/vnd.example.unknown+json")]
    public void UnsupportedMediaTypesAreRejected(string mediaType)
    {
        var manifest = Manifests.Image(mediaType, Config, Layer);
        Assert.Equal("MANIFEST_INVALID", Assert.Throws<RegistryException>(() => ManifestValidator.Parse(manifest, null)).Code.Code);
    }

    [Fact]
    public void AnIndexWithLayersIsRejected()
    {
        var json = Encoding.UTF8.GetString(Manifests.Index(Manifests.OciIndex)).Replace("\"manifests\"", "\"layers\": [], \"manifests\"");
        Assert.Throws<RegistryException>(() => ManifestValidator.Parse(Encoding.UTF8.GetBytes(json), null));
    }

    [Fact]
    public void SubjectIsReadBack()
    {
        var subject = TestRegistry.Sha256([1]);
        var artifact = Manifests.Artifact("application/x", subject, 1, Config, Layer);
        Assert.Equal(subject, ManifestValidator.SubjectOf(artifact).ToString());
        Assert.Null(ManifestValidator.SubjectOf(Manifests.Image(Manifests.Oci, Config, Layer)));
    }
}
