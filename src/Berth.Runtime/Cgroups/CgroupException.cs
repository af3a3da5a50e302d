namespace Berth.Runtime.Cgroups;

/// <summary>A cgroup operation failed: names the file, the value written and the kernel's reason.</summary>
public sealed class CgroupException : Exception
{
    public CgroupException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }

    private CgroupException(string message, string file, string? value, int? errno, Exception innerException)
        : base(message, innerException)
    {
        FilePath = file;
        Value = value;
        Errno = errno;
    }

    /// <summary>The cgroupfs file or directory the failed operation acted on.</summary>
    public string? FilePath { get; }

    /// <summary>The value that was being written, for a failed write.</summary>
    public string? Value { get; }

    /// <summary>The errno behind the failure, when the kernel gave one.</summary>
    public int? Errno { get; }

    /// <summary>write FILE "VALUE": reason</summary>
    internal static CgroupException Write(string file, string value, Exception cause) =>
        From($"write {file} \"{value}\"", file, value, cause);

    internal static CgroupException Read(string file, Exception cause) => From($"read {file}", file, null, cause);

    internal static CgroupException Mkdir(string dir, Exception cause) => From($"mkdir {dir}", dir, null, cause);

    internal static CgroupException Rmdir(string dir, Exception cause) => From($"rmdir {dir}", dir, null, cause);

    private static CgroupException From(string operation, string file, string? value, Exception cause)
    {
        var errno = ErrnoOf(cause);
        var reason = errno is { } e ? Berth.Linux.LinuxException.Describe(e) : cause.Message;
        return new CgroupException($"{operation}: {reason}", file, value, errno, cause);
    }

    /// <summary>
    /// The errno behind a file-system exception: .NET puts it in <see cref="Exception.HResult"/> of a plain
    /// <see cref="IOException"/> (of the inner one for EACCES/EPERM) and turns ENOENT into the *NotFound types.
    /// </summary>
    internal static int? ErrnoOf(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Berth.Linux.Errno.ENOENT,
        IOException { HResult: > 0 and < 4096 } io => io.HResult,
        UnauthorizedAccessException { InnerException: IOException { HResult: > 0 and < 4096 } io } => io.HResult,
        _ => null,
    };

    internal static bool IsFileSystemError(Exception e) => e is IOException or UnauthorizedAccessException;
}
