using Berth.Linux;
using Berth.Runtime.Rootfs;

namespace Berth.Engine.Containers.Oci;

/// <summary>
/// Reads and creates paths inside a container's rootfs as the container would see them: every lookup is resolved
/// with openat2(RESOLVE_IN_ROOT), so an image's symlink (<c>/etc/passwd → /etc/shadow</c> of the host, or
/// <c>/app → ../../..</c>) never leads outside the rootfs.
/// </summary>
public static class RootfsFiles
{
    /// <summary>Larger than any real passwd or group file; guards the daemon against a hostile image.</summary>
    private const int MaxTextBytes = 16 << 20;

    /// <summary>The text of a regular file inside the rootfs, or null when it does not exist.</summary>
    public static string? ReadText(string rootfsPath, string path)
    {
        using var root = new RootDirectory(rootfsPath);
        var fd = FileDescriptors.TryOpenAt2(root.Handle, path.TrimStart('/'), OpenFlags.ReadOnly | OpenFlags.NonBlock,
            ResolveFlags.InRoot | ResolveFlags.NoMagicLinks, 0, out var errno);
        if (fd is null)
            return errno is Errno.ENOENT or Errno.ENOTDIR ? null : throw new LinuxException("openat2", root.Inside(path), errno);
        using (fd)
        {
            // Read at most one byte past the limit: a FIFO or device planted by the image cannot make this read forever.
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int n;
            while ((n = FileDescriptors.Read(fd, chunk)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > MaxTextBytes)
                    throw new EngineException(ErrorKind.InvalidArgument, $"{path} in the container's filesystem is larger than {MaxTextBytes} bytes");
            }
            return global::System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }

    /// <summary>
    /// Creates the working directory (and its parents) inside the rootfs when missing, as Docker does at start; a link
    /// on the way is followed as if the rootfs were "/". A path that exists as something else than a directory is an error.
    /// </summary>
    public static void CreateWorkingDirectory(string rootfsPath, string workingDir)
    {
        using var root = new RootDirectory(rootfsPath);
        try
        {
            root.OpenDirectory(workingDir).Dispose();
        }
        catch (LinuxException e) when (e.Errno is Errno.ENOTDIR or Errno.EEXIST)
        {
            throw new EngineException(ErrorKind.InvalidArgument, $"Cannot mkdir: {workingDir} is not a directory", e);
        }
    }
}
