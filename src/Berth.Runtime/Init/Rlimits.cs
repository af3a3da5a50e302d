using Berth.Runtime.Stages;
namespace Berth.Runtime.Init;

public static class Rlimits
{
    private static readonly string[] Names =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE",
        "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];

    public static IReadOnlyList<string> All => Names;

    public static int Number(string name)
    {
        var index = Array.IndexOf(Names, name);
        return index >= 0 ? index : throw new StageFailedException($"wrong rlimit value: {name}");
    }
}
