namespace Berth.Images;

/// <summary>The closed set of ways an image-store call is refused; the engine maps each kind once.</summary>
public enum ImageErrorKind
{
    /// <summary>No image has that name or id (Docker's <c>No such image: …</c>).</summary>
    NotFound,
    /// <summary>The call would break a rule: deleting an image in use or referenced in several repositories.</summary>
    Conflict,
    /// <summary>Bad input: a malformed reference or change, a hostile or corrupt layer or archive, a digest that does not match.</summary>
    InvalidArgument,
}

public sealed class ImageException(ImageErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ImageErrorKind Kind { get; } = kind;

    /// <summary>Docker's text, naming the image as the user wrote it.</summary>
    internal static ImageException NotFound(string nameOrId) => new(ImageErrorKind.NotFound, $"No such image: {nameOrId}");

    internal static ImageException Conflict(string message) => new(ImageErrorKind.Conflict, message);

    internal static ImageException Invalid(string message, Exception? inner = null) => new(ImageErrorKind.InvalidArgument, message, inner);
}
