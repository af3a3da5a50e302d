using System.Runtime.InteropServices;
using Berth.Oci.Image;

namespace Berth.Cri.Images;

/// <summary>How the CRI names and describes images, where Docker's API says it differently.</summary>
internal static class ImageFacts
{
    /// <summary>The platform pulls pick from an index: this host's, as kubelet has no say in it.</summary>
    public static readonly string HostPlatform = "linux/" + (RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64");

    /// <summary>
    /// A name as the CRI shows it: fully qualified (<c>docker.io/library/busybox:latest</c>), where Docker's API shows the
    /// familiar form (<c>busybox:latest</c>). A name that does not parse is shown as it is.
    /// </summary>
    public static string Qualified(string name) => ImageReference.TryParse(name, out var reference) ? reference.ToString() : name;

    /// <summary>
    /// The image's user as <c>Image.uid</c>/<c>Image.username</c> say it (containerd's rule): the part before any
    /// <c>:group</c>, a number as the uid, anything else as the name; neither when the image names none.
    /// </summary>
    public static (long? Uid, string Username) UserOf(string? user)
    {
        if (string.IsNullOrEmpty(user)) return (null, "");
        var name = user.Split(':', 2)[0];
        return long.TryParse(name, out var uid) ? (uid, "") : (null, name);
    }
}
