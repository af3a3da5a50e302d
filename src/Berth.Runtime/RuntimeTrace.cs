using System.Text;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime;

/// <summary>
/// Phase marks for finding where a create, start or exec spends its time (scripts/bench-runtime.sh --phases reads them).
/// With <c>BERTH_RUNTIME_TRACE</c> set in the environment, each mark is one line on stderr,
/// <c>berth-trace MICROSECONDS PID PHASE</c>, on the wall clock so that the marks of the runtime, its stages and the
/// script that started them line up. The stages inherit the variable; without it a mark costs one branch.
/// </summary>
public static class RuntimeTrace
{
    public const string Variable = "BERTH_RUNTIME_TRACE";

    public static bool Enabled { get; } = Environment.GetEnvironmentVariable(Variable) is not null;

    /// <summary>What a stage's environment gets so that it traces too (nothing when tracing is off).</summary>
    public static IEnumerable<string> Inherited => Enabled ? [Variable + "=1"] : [];

    public static void Mark(string phase)
    {
        if (!Enabled) return;
        var microseconds = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
        var line = $"berth-trace {microseconds} {Environment.ProcessId} {phase}\n";
        try
        {
            FileDescriptors.WriteAll(new SafeFileHandle(2, ownsHandle: false), Encoding.UTF8.GetBytes(line));
        }
        catch (LinuxException)
        {
            // a trace must never fail the operation it watches
        }
    }
}
