using Berth.Runtime.Stages;
using Berth.Linux;

namespace Berth.Runtime.Init;

/// <summary>Finds the program to exec as Go's exec.LookPath does, with runc's error wording.</summary>
public static class ExecutableLookup
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static string Resolve(string program, IEnumerable<string>? env)
    {
        if (program.Length == 0) throw new StageFailedException("exec: \"\": executable file not found in $PATH", Errno.ENOENT);
        if (program.Contains('/'))
        {
            var error = Check(program);
            return error is null ? program : throw new StageFailedException($"exec: \"{program}\": stat {program}: {error.Value.Text}", error.Value.Errno);
        }
        var path = env?.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..] ?? DefaultPath;
        foreach (var dir in path.Split(':'))
        {
            var candidate = Path.Join(dir.Length == 0 ? "." : dir, program);
            if (Check(candidate) is null) return candidate;
        }
        throw new StageFailedException($"exec: \"{program}\": executable file not found in $PATH", Errno.ENOENT);
    }

    private static (int Errno, string Text)? Check(string path)
    {
        if (Directory.Exists(path)) return (Errno.EACCES, "is a directory");
        if (!File.Exists(path)) return (Errno.ENOENT, "no such file or directory");
        return FileDescriptors.IsExecutable(path) ? null : (Errno.EACCES, "permission denied");
    }
}
