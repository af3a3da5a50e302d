using Berth.Oci.Image;

namespace Berth.Engine.Images;

/// <summary>
/// An image to make of a writable layer on an image: <c>docker commit</c> (the container keeps its layer) or a build
/// step (<see cref="ConsumeLayer"/>: the step's layer becomes the image's). <see cref="LayerKey"/> null: the image
/// changes only the config. <see cref="ParentImageId"/> null: on nothing (<c>FROM scratch</c>).
/// </summary>
public sealed record ImageCommitSpec
{
    public string? ParentImageId { get; init; }
    public required ImageRuntimeConfig Config { get; init; }
    public string? LayerKey { get; init; }
    public bool ConsumeLayer { get; init; }
    public ImageRuntimeConfig? ContainerConfig { get; init; }
    public string? ContainerId { get; init; }
    public string? CreatedBy { get; init; }
    public string? Comment { get; init; }
    public string? Author { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];
}
