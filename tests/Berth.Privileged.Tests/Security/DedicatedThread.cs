using System.Globalization;
using System.Runtime.ExceptionServices;

namespace Berth.Privileged.Tests.Security;

/// <summary>
/// Runs code on a new thread that ends with it: seccomp filters, no_new_privs and capability changes are per
/// thread and irreversible, so they must never touch the test runner's threads.
/// </summary>
internal static class DedicatedThread
{
    public static T Run<T>(Func<T> body)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>A hex mask field (CapEff, CapBnd…) of the calling thread's <c>/proc/thread-self/status</c>.</summary>
    public static ulong StatusMask(string field) => ulong.Parse(StatusField(field), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static string StatusField(string field)
    {
        foreach (var line in File.ReadLines("/proc/thread-self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal)) return line[(field.Length + 1)..].Trim();
        }
        throw new InvalidOperationException($"{field} not in /proc/thread-self/status");
    }
}
