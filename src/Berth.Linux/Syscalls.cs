using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>x86_64 syscall numbers for calls glibc 2.36 wraps poorly or not at all.</summary>
internal static class SyscallNumbers
{
    public const long Setgroups = 116;
    public const long Setresuid = 117;
    public const long Setresgid = 119;
    public const long PivotRoot = 155;
    public const long Unshare = 272;
    public const long Setns = 308;
    public const long MemfdCreate = 319;
    public const long PidfdOpen = 434;
    public const long CloseRange = 436;
    public const long Openat2 = 437;
}

internal static partial class Sys
{
    [LibraryImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3, long a4, long a5);

    public static long Call(long number, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0) =>
        Syscall(number, a1, a2, a3, a4, 0);
}
