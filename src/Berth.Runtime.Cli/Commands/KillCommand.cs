using Berth.Linux;

namespace Berth.Runtime.Cli.Commands;

/// <summary><c>kill [--all] ID [SIGNAL]</c>; the signal defaults to SIGTERM and may be a name or a number.</summary>
public static class KillCommand
{
    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args, Flag.Bool("all", "a"));
        var id = parsed.RequireId("kill");
        if (parsed.Positionals.Count > 2) throw new UsageException("\"kill\" requires a maximum of 2 arguments");
        var name = parsed.Positionals.Count == 2 ? parsed.Positionals[1] : "SIGTERM";
        if (!Signals.TryParse(name, out var signal)) throw new RuntimeException($"unknown signal \"{name}\"");
        context.Runtime.Kill(id, signal, parsed.Has("all"));
        return 0;
    }
}
