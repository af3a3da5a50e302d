namespace Berth.Runtime.State;

/// <summary>A process as /proc/PID/stat shows it: its state letter and start time.</summary>
public readonly record struct ProcStat(char State, ulong StartTime)
{
    public static ProcStat? Read(int pid, string procRoot = "/proc")
    {
        string text;
        try
        {
            text = File.ReadAllText($"{procRoot}/{pid}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null;
        }
        return Parse(text);
    }

    /// <summary>Parses the fields after the command name, which may itself hold spaces and parentheses.</summary>
    public static ProcStat? Parse(string text)
    {
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); start time is field 22.
        return fields.Length > 19 && ulong.TryParse(fields[19], out var start) ? new ProcStat(fields[0][0], start) : null;
    }

    /// <summary>True while the process with that pid is the one that started at <paramref name="startTime"/> and has not exited.</summary>
    public static bool IsAlive(int pid, ulong startTime, string procRoot = "/proc") =>
        pid > 0 && Read(pid, procRoot) is { } stat && stat.StartTime == startTime && stat.State is not ('Z' or 'X');
}
