using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Network;

/// <summary>
/// Runs work inside another network namespace. A socket belongs to the namespace of the thread that made it, and
/// setns and unshare change only the calling thread: so the work runs on a thread of ours (never a pool thread, which
/// would go back to the pool in the wrong namespace) that enters the namespace, does the work and goes back home.
/// The threads are kept and reused: starting a thread costs the starter a spin of hundreds of sched_yield calls until
/// it runs, and every container start needs two or three of these. Only bare syscalls belong in the work (no awaits).
/// A thread that cannot go home ends instead of serving again.
/// </summary>
internal static class NamespaceThreads
{
    private const int MaxIdle = 4;
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(60);
    private static readonly BlockingCollection<Request> Queue = [];
    private static readonly Lock Gate = new();

    /// <summary>Threads waiting for work that no request has claimed yet.</summary>
    private static int _idle;

    /// <summary>Runs <paramref name="work"/> in the network namespace <paramref name="netns"/> refers to.</summary>
    public static T InNamespace<T>(SafeHandle netns, string what, Func<T> work) =>
        Run(() =>
        {
            Namespaces.SetNs(netns, CloneFlags.NewNet, what);
            return work();
        });

    /// <summary>Runs <paramref name="work"/> in the network namespace bound at <paramref name="netnsPath"/>.</summary>
    public static T InNamespace<T>(string netnsPath, Func<T> work)
    {
        using var netns = File.OpenHandle(netnsPath, FileMode.Open, FileAccess.Read);
        return InNamespace(netns, $"network namespace {netnsPath}", work);
    }

    /// <summary>Runs <paramref name="work"/> in a new network namespace, which lives on only if the work keeps it (a bind mount).</summary>
    public static T InNewNamespace<T>(Func<T> work) =>
        Run(() =>
        {
            Namespaces.Unshare(CloneFlags.NewNet);
            return work();
        });

    private static T Run<T>(Func<T> work)
    {
        var request = new Request(() => work()!);
        bool claimed;
        lock (Gate)
        {
            claimed = _idle > 0;
            if (claimed) _idle--;
        }
        if (!claimed) new Thread(Serve, maxStackSize: 256 * 1024) { IsBackground = true, Name = "berth-netns" }.UnsafeStart();
        Queue.Add(request);
        request.Done.Wait();
        request.Done.Dispose();
        request.Failure?.Throw();
        return (T)request.Result!;
    }

    /// <summary>
    /// A thread's life: take requests until idle for <see cref="IdleLifetime"/> (and not claimed meanwhile). Its home is
    /// the namespace it was born in, the daemon's (threads are born in their creator's, and callers are never moved).
    /// </summary>
    private static void Serve()
    {
        using var home = File.OpenHandle("/proc/thread-self/ns/net", FileMode.Open, FileAccess.Read);
        while (true)
        {
            if (!Queue.TryTake(out var request, IdleLifetime))
            {
                lock (Gate)
                {
                    if (_idle > 0)
                    {
                        _idle--;
                        return;
                    }
                }
                continue; // claimed just now: its request is on the way
            }
            try
            {
                request.Result = request.Work();
            }
            catch (Exception e)
            {
                request.Failure = ExceptionDispatchInfo.Capture(e);
            }
            var atHome = GoHome(home);
            request.Done.Set();
            if (!atHome) return;
            lock (Gate)
            {
                if (_idle >= MaxIdle) return;
                _idle++;
            }
        }
    }

    private static bool GoHome(SafeFileHandle home)
    {
        try
        {
            Namespaces.SetNs(home, CloneFlags.NewNet, "the daemon's network namespace");
            return true;
        }
        catch (LinuxException)
        {
            return false;
        }
    }

    private sealed class Request(Func<object> work)
    {
        public Func<object> Work => work;
        public ManualResetEventSlim Done { get; } = new();
        public object? Result { get; set; }
        public ExceptionDispatchInfo? Failure { get; set; }
    }
}
