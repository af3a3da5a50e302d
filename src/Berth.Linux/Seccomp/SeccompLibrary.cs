using System.Runtime.InteropServices;

namespace Berth.Linux.Seccomp;

/// <summary>What the installed libseccomp (and, through its API level, the kernel) offers.</summary>
public static class SeccompLibrary
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        if (!NativeLibrary.TryLoad(LibSeccomp.Library, out var handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    });

    /// <summary>False when <c>libseccomp.so.2</c> cannot be loaded; every other member then throws <see cref="DllNotFoundException"/>.</summary>
    public static bool IsAvailable => Available.Value;

    public static unsafe Version Version
    {
        get
        {
            var v = LibSeccomp.GetVersion();
            return new Version((int)v->Major, (int)v->Minor, (int)v->Micro);
        }
    }

    /// <summary>
    /// libseccomp's API level, probed from the kernel: 1 base, 2 TSYNC, 3 LOG and KILL_PROCESS, 4 SPEC_ALLOW,
    /// 5 NOTIFY, 6 TSYNC together with NOTIFY.
    /// </summary>
    public static uint ApiLevel => LibSeccomp.ApiGet();

    /// <summary>The native syscall number of <paramref name="name"/>; false when libseccomp does not know the name.</summary>
    /// <remarks>A syscall the native architecture lacks but another one has resolves to a negative pseudo number, which rules accept.</remarks>
    public static bool TryResolveSyscall(string name, out int number)
    {
        number = LibSeccomp.SyscallResolveName(name);
        return number != LibSeccomp.SyscallError;
    }

    /// <summary>The syscall number of <paramref name="name"/> on <paramref name="architecture"/>.</summary>
    public static bool TryResolveSyscall(string name, SeccompArchitecture architecture, out int number)
    {
        number = LibSeccomp.SyscallResolveNameArch(architecture.Token, name);
        return number != LibSeccomp.SyscallError;
    }

    /// <summary>The name of syscall <paramref name="number"/> on <paramref name="architecture"/>; false when libseccomp has none.</summary>
    public static unsafe bool TryGetSyscallName(int number, SeccompArchitecture architecture, out string name)
    {
        var text = LibSeccomp.SyscallResolveNumArch(architecture.Token, number);
        if (text is null)
        {
            name = "";
            return false;
        }
        try
        {
            name = Marshal.PtrToStringUTF8((nint)text)!;
            return true;
        }
        finally
        {
            LibSeccomp.Free(text);
        }
    }
}
