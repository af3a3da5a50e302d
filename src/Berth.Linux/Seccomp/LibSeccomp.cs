using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux.Seccomp;

/// <summary>
/// libseccomp 2.5 (<c>libseccomp.so.2</c>). Every call that fails returns a negative errno rather than setting
/// <c>errno</c>, so none of these use <c>SetLastError</c>.
/// </summary>
internal static unsafe partial class LibSeccomp
{
    public const string Library = Libraries.Seccomp;

    [LibraryImport(Library, EntryPoint = "seccomp_init")]
    public static partial SeccompFilterHandle Init(uint defaultAction);

    [LibraryImport(Library, EntryPoint = "seccomp_release")]
    public static partial void Release(nint ctx);

    [LibraryImport(Library, EntryPoint = "seccomp_load")]
    public static partial int Load(SeccompFilterHandle ctx);

    [LibraryImport(Library, EntryPoint = "seccomp_attr_set")]
    public static partial int AttrSet(SeccompFilterHandle ctx, SeccompFilterAttribute attribute, uint value);

    [LibraryImport(Library, EntryPoint = "seccomp_attr_get")]
    public static partial int AttrGet(SeccompFilterHandle ctx, SeccompFilterAttribute attribute, out uint value);

    [LibraryImport(Library, EntryPoint = "seccomp_arch_add")]
    public static partial int ArchAdd(SeccompFilterHandle ctx, uint archToken);

    [LibraryImport(Library, EntryPoint = "seccomp_arch_exist")]
    public static partial int ArchExist(SeccompFilterHandle ctx, uint archToken);

    [LibraryImport(Library, EntryPoint = "seccomp_arch_native")]
    public static partial uint ArchNative();

    [LibraryImport(Library, EntryPoint = "seccomp_arch_resolve_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint ArchResolveName(string name);

    /// <summary>Returns <see cref="SyscallError"/> for a name libseccomp does not know.</summary>
    [LibraryImport(Library, EntryPoint = "seccomp_syscall_resolve_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SyscallResolveName(string name);

    [LibraryImport(Library, EntryPoint = "seccomp_syscall_resolve_name_arch", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SyscallResolveNameArch(uint archToken, string name);

    /// <summary>A malloc'ed name the caller frees, or null.</summary>
    [LibraryImport(Library, EntryPoint = "seccomp_syscall_resolve_num_arch")]
    public static partial byte* SyscallResolveNumArch(uint archToken, int number);

    [LibraryImport(Libraries.Libc, EntryPoint = "free")]
    public static partial void Free(void* pointer);

    [LibraryImport(Library, EntryPoint = "seccomp_rule_add_array")]
    public static partial int RuleAddArray(SeccompFilterHandle ctx, uint action, int syscall, uint argCount, SeccompCondition* args);

    [LibraryImport(Library, EntryPoint = "seccomp_export_bpf")]
    public static partial int ExportBpf(SeccompFilterHandle ctx, int fd);

    [LibraryImport(Library, EntryPoint = "seccomp_export_pfc")]
    public static partial int ExportPfc(SeccompFilterHandle ctx, int fd);

    [LibraryImport(Library, EntryPoint = "seccomp_api_get")]
    public static partial uint ApiGet();

    [LibraryImport(Library, EntryPoint = "seccomp_version")]
    public static partial Version* GetVersion();

    public const uint MFD_CLOEXEC = 1;

    /// <summary>glibc's memfd_create (sets errno): where libseccomp exports a program for Berth to read back.</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "memfd_create", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial SafeFileHandle MemfdCreate(string name, uint flags);

    /// <summary><c>__NR_SCMP_ERROR</c>: what the resolvers return for an unknown name.</summary>
    public const int SyscallError = -1;

    /// <summary><c>struct scmp_version</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Version
    {
        public uint Major;
        public uint Minor;
        public uint Micro;
    }
}

/// <summary>An <c>scmp_filter_ctx</c>: released with <c>seccomp_release</c>.</summary>
internal sealed class SeccompFilterHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SeccompFilterHandle() : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibSeccomp.Release(handle);
        return true;
    }
}
