using Berth.Engine.Images;
using Berth.Images;
using Berth.Oci.Image;

namespace Berth.Engine.Tests.Images;

public sealed class ImageViewMappingTests
{
    private static readonly DateTimeOffset Stored = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static ImageDetails Details(ImageConfig config) =>
        new(new ImageRecord(Digest.Sha256("config"u8), Digest.Sha256("manifest"u8), MediaTypes.OciManifest, Stored, []), config, ["app:v1"], []);

    [Fact]
    public void Inspect_takes_the_configs_creation_time_else_the_time_the_image_was_stored()
    {
        Assert.Equal(new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero), Details(new ImageConfig { Created = "2020-01-02T03:04:05Z" }).ToView().Created);
        Assert.Equal(Stored, Details(new ImageConfig { Created = "not a time" }).ToView().Created);
        Assert.Equal(Stored, Details(new ImageConfig()).ToView().Created);
    }

    [Fact]
    public void Inspect_keeps_an_absent_list_apart_from_an_empty_one()
    {
        var view = Details(new ImageConfig
        {
            Config = new ImageRuntimeConfig
            {
                Env = [],
                ExposedPorts = new() { ["80/tcp"] = new EmptyObject(), ["53/udp"] = new EmptyObject() },
            },
        }).ToView();
        Assert.NotNull(view.Config);
        Assert.Equal([], view.Config.Env!);
        Assert.Null(view.Config.Cmd);
        Assert.Null(view.Config.Volumes);
        Assert.Equal(["80/tcp", "53/udp"], view.Config.ExposedPorts!);
        Assert.Null(Details(new ImageConfig()).ToView().Config);
    }
}
