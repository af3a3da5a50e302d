using Berth.Oci.Image;

namespace Berth.Images;

/// <summary>
/// The image store's metadata: image records by id, and references (a normalised <c>name:tag</c> or
/// <c>name@digest</c>, see <see cref="ImageReference.ToString"/>) to image ids. Declared here, by its consumer.
/// <para>
/// Every change is one transaction: a reader sees an image with all its layers and the references put with it, or
/// nothing of them. A reference names exactly one image; setting it on another image moves it. Removing an image
/// removes its references. Records are immutable once put, except <see cref="ImageRecord.LastTagTime"/>.
/// </para>
/// </summary>
public interface IImageIndex
{
    Task<ImageRecord?> GetAsync(Digest id, CancellationToken cancellationToken = default);

    /// <summary>Every image, in no promised order.</summary>
    Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The image a reference names, or null.</summary>
    Task<Digest?> ResolveAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>Every reference, each with the image it names, in no promised order.</summary>
    Task<IReadOnlyList<KeyValuePair<string, Digest>>> ReferencesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts (or replaces) the image and points each of <paramref name="references"/> at it, in one transaction. When any
    /// reference is set, the image's <see cref="ImageRecord.LastTagTime"/> becomes <paramref name="now"/>.
    /// </summary>
    Task PutAsync(ImageRecord image, IReadOnlyCollection<string> references, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Points <paramref name="reference"/> at the existing image <paramref name="id"/> and sets its last-tag time.</summary>
    /// <returns>The image the reference named before, or null.</returns>
    /// <exception cref="KeyNotFoundException">no image has this id.</exception>
    Task<Digest?> SetReferenceAsync(string reference, Digest id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <returns>Whether the reference existed.</returns>
    Task<bool> RemoveReferenceAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>Removes the image and every reference to it.</summary>
    /// <returns>Whether the image existed.</returns>
    Task<bool> DeleteAsync(Digest id, CancellationToken cancellationToken = default);
}
