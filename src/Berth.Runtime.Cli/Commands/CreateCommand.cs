using Berth.Runtime.Containers;

namespace Berth.Runtime.Cli.Commands;

/// <summary><c>create ID [--bundle DIR] [--pid-file F] [--console-socket S]</c></summary>
public static class CreateCommand
{
    public static readonly Flag[] Flags =
    [
        Flag.Value("bundle", "b"), Flag.Value("pid-file"), Flag.Value("console-socket"), Flag.Bool("no-pivot"),
        Flag.Bool("no-new-keyring"), Flag.Value("preserve-fds"),
    ];

    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args, Flags);
        context.Runtime.Create(Request(parsed, "create"));
        return 0;
    }

    public static CreateRequest Request(Arguments parsed, string command)
    {
        parsed.RequireExactly(1, command);
        if (parsed.Has("no-pivot")) throw new RuntimeException("--no-pivot is not supported: pivot_root is what keeps the host out of reach");
        if (parsed.Get("preserve-fds") is { } fds && fds != "0") throw new RuntimeException("--preserve-fds is not supported yet");
        return new CreateRequest(parsed.Positionals[0], parsed.Get("bundle") ?? Directory.GetCurrentDirectory(),
            parsed.Get("console-socket"), parsed.Get("pid-file"));
    }
}
