using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>What a spawned process gets: its program, argv, envp, and which of our descriptors become which of its.</summary>
public sealed class SpawnRequest
{
    public required string Path { get; init; }
    public required IReadOnlyList<string> Args { get; init; }
    public required IReadOnlyList<string> Env { get; init; }

    /// <summary>Child descriptor number → our descriptor. 0, 1 and 2 are inherited when absent.</summary>
    public Dictionary<int, SafeHandle> Fds { get; init; } = [];

    public bool NewSession { get; init; }
}

/// <summary>
/// posix_spawn(3): the only way Berth starts a process that must inherit the calling thread's namespaces.
/// glibc forks with CLONE_VM|CLONE_VFORK and execs at once, so no managed code runs in the child (never fork() from .NET).
/// </summary>
public static unsafe partial class ProcessSpawner
{
    private const short SetSigDef = 0x04, SetSigMask = 0x08, SetSid = 0x80;
    private const int FirstScratchFd = 100;

    public static int Spawn(SpawnRequest request)
    {
        // Move every source descriptor above the targets first, so a source numbered like a target is never clobbered by an earlier dup2.
        var scratch = request.Fds.ToDictionary(kv => kv.Key, kv => FileDescriptors.DuplicateAbove(kv.Value, FirstScratchFd));
        var actions = (void*)NativeMemory.AllocZeroed(256);
        var attr = (void*)NativeMemory.AllocZeroed(1024);
        var sigset = stackalloc byte[128];
        try
        {
            Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            Check(posix_spawnattr_init(attr), "posix_spawnattr_init");
            foreach (var (target, source) in scratch)
                Check(posix_spawn_file_actions_adddup2(actions, (int)source.DangerousGetHandle(), target), "posix_spawn_file_actions_adddup2");

            sigfillset(sigset);
            Check(posix_spawnattr_setsigdefault(attr, sigset), "posix_spawnattr_setsigdefault");
            sigemptyset(sigset);
            Check(posix_spawnattr_setsigmask(attr, sigset), "posix_spawnattr_setsigmask");
            Check(posix_spawnattr_setflags(attr, (short)(SetSigDef | SetSigMask | (request.NewSession ? SetSid : 0))), "posix_spawnattr_setflags");

            using var argv = new NativeStringArray(request.Args);
            using var envp = new NativeStringArray(request.Env);
            int pid;
            var rc = posix_spawn(&pid, request.Path, actions, attr, argv.Pointer, envp.Pointer);
            return rc != 0 ? throw new LinuxException("posix_spawn", request.Path, rc) : pid;
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            posix_spawnattr_destroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            foreach (var fd in scratch.Values) fd.Dispose();
        }
    }

    private static void Check(int rc, string call)
    {
        if (rc != 0) throw new LinuxException(call, null, rc);
    }

    [LibraryImport(Libraries.Libc, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int posix_spawn(int* pid, string path, void* actions, void* attr, nint argv, nint envp);
    [LibraryImport(Libraries.Libc)] private static partial int posix_spawn_file_actions_init(void* actions);
    [LibraryImport(Libraries.Libc)] private static partial int posix_spawn_file_actions_destroy(void* actions);
    [LibraryImport(Libraries.Libc)] private static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newfd);
    [LibraryImport(Libraries.Libc)] private static partial int posix_spawnattr_init(void* attr);
    [LibraryImport(Libraries.Libc)] private static partial int posix_spawnattr_destroy(void* attr);
    [LibraryImport(Libraries.Libc)] private static partial int posix_spawnattr_setflags(void* attr, short flags);
    [LibraryImport(Libraries.Libc)] private static partial int posix_spawnattr_setsigdefault(void* attr, byte* set);
    [LibraryImport(Libraries.Libc)] private static partial int posix_spawnattr_setsigmask(void* attr, byte* set);
    [LibraryImport(Libraries.Libc)] private static partial int sigfillset(byte* set);
    [LibraryImport(Libraries.Libc)] private static partial int sigemptyset(byte* set);
}
