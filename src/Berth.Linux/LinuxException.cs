using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>A failed system call: names the call, the object it acted on and the errno.</summary>
public sealed class LinuxException : Exception
{
    public int Errno { get; }
    public string Call { get; }
    public string? Target { get; }

    public LinuxException(string call, string? target, int errno)
        : base(Format(call, target, errno))
    {
        Call = call;
        Target = target;
        Errno = errno;
    }

    /// <summary>The errno of the last P/Invoke that set it, wrapped with the call and its target.</summary>
    public static LinuxException FromLastError(string call, string? target = null) =>
        new(call, target, Marshal.GetLastPInvokeError());

    /// <summary>Throws when a libc call returned -1.</summary>
    public static int ThrowIfError(int result, string call, string? target = null) =>
        result == -1 ? throw FromLastError(call, target) : result;

    public static long ThrowIfError(long result, string call, string? target = null) =>
        result == -1 ? throw FromLastError(call, target) : result;

    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    private static string Format(string call, string? target, int errno) =>
        target is null ? $"{call}: {Describe(errno)}" : $"{call} {target}: {Describe(errno)}";
}
