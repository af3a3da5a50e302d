namespace Berth.Images;

/// <summary>Media types the image store writes that <see cref="Oci.Image.MediaTypes"/> does not name.</summary>
public static class ImageMediaTypes
{
    /// <summary>An uncompressed layer in a Docker v2 schema 2 manifest.</summary>
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
}
