namespace Berth.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker tag</c>: points <paramref name="target"/> (normalised, <c>:latest</c> by default, no digest) at the image
    /// <paramref name="source"/> names; the image it named before, if any, keeps its other references or becomes dangling.
    /// </summary>
    /// <returns>The normalised reference, e.g. <c>docker.io/library/busybox:latest</c> (its <c>Familiar</c> form is Docker's text).</returns>
    /// <exception cref="ImageException">NotFound for the source; InvalidArgument for the target.</exception>
    public async Task<Oci.Image.ImageReference> TagAsync(string source, string target, CancellationToken cancellationToken = default)
    {
        var reference = TagTarget(target);
        return await GatedAsync(async () =>
        {
            var image = await ResolveAsync(source, cancellationToken);
            await index.SetReferenceAsync(reference.ToString(), image.Id, _time.GetUtcNow(), cancellationToken);
            return reference;
        }, cancellationToken);
    }

    /// <summary>Removes one reference (a tag, or <c>name@digest</c>); the image stays, dangling if it was its last.</summary>
    /// <returns>Whether the reference existed.</returns>
    public Task<bool> UntagAsync(string reference, CancellationToken cancellationToken = default)
    {
        var key = Key(ParseReference(reference));
        return GatedAsync(() => index.RemoveReferenceAsync(key, cancellationToken), cancellationToken);
    }
}
