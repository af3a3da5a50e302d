namespace Berth.Linux;

/// <summary>Linux signal numbers by name (x86_64), as kill(1) and runc accept them: "KILL", "SIGKILL" or "9".</summary>
public static class Signals
{
    public const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGTERM = 15;
    public const int SIGPIPE = 13;

    private static readonly string[] Names =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
        "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    public static bool TryParse(string value, out int signal)
    {
        if (int.TryParse(value, out signal)) return signal is > 0 and < 65;
        var name = value.ToUpperInvariant();
        if (name.StartsWith("SIG", StringComparison.Ordinal)) name = name[3..];
        if (name is "IOT") name = "ABRT";
        if (name is "POLL") name = "IO";
        signal = Array.IndexOf(Names, name);
        if (signal > 0) return true;
        if (name.StartsWith("RTMIN", StringComparison.Ordinal) && TryOffset(name[5..], out var plus)) signal = 34 + plus;
        else if (name.StartsWith("RTMAX", StringComparison.Ordinal) && TryOffset(name[5..], out var minus)) signal = 64 + minus;
        return signal is > 0 and < 65;
    }

    private static bool TryOffset(string s, out int offset)
    {
        offset = 0;
        return s.Length == 0 || int.TryParse(s, out offset);
    }
}
