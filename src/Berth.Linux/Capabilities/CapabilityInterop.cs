using System.Runtime.InteropServices;

namespace Berth.Linux.Capabilities;

/// <summary>
/// capget/capset and prctl. glibc's <c>capget</c>/<c>capset</c> are the bare system calls (unlike setuid, glibc does
/// not broadcast them to the other threads), and so is <c>prctl</c>: all of these act on the calling thread only.
/// </summary>
internal static unsafe partial class CapabilityInterop
{
    private const string Libc = "libc.so.6";

    /// <summary><c>_LINUX_CAPABILITY_VERSION_3</c>: 64-bit sets, as two 32-bit words.</summary>
    public const uint Version3 = 0x2008_0522;

    public const int PR_GET_KEEPCAPS = 7;
    public const int PR_SET_KEEPCAPS = 8;
    public const int PR_CAPBSET_READ = 23;
    public const int PR_CAPBSET_DROP = 24;
    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const int PR_GET_NO_NEW_PRIVS = 39;
    public const int PR_CAP_AMBIENT = 47;
    public const int PR_CAP_AMBIENT_IS_SET = 1;
    public const int PR_CAP_AMBIENT_RAISE = 2;
    public const int PR_CAP_AMBIENT_LOWER = 3;
    public const int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    [StructLayout(LayoutKind.Sequential)]
    public struct Header
    {
        public uint Version;

        /// <summary>0: the calling thread.</summary>
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Data
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [LibraryImport(Libc, EntryPoint = "capget", SetLastError = true)]
    public static partial int CapGet(Header* header, Data* data);

    [LibraryImport(Libc, EntryPoint = "capset", SetLastError = true)]
    public static partial int CapSet(Header* header, Data* data);

    // prctl is variadic in C; every option Berth uses takes unsigned long arguments, passed in registers like fixed ones.
    [LibraryImport(Libc, EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    public static int Prctl(int option, nuint arg2 = 0, nuint arg3 = 0) => Prctl(option, arg2, arg3, 0, 0);
}
