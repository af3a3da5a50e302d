namespace Berth.Runtime.Cli.Commands;

public static class PauseCommand
{
    public static int Pause(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args);
        parsed.RequireExactly(1, "pause");
        context.Runtime.Pause(parsed.Positionals[0]);
        return 0;
    }

    public static int Resume(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args);
        parsed.RequireExactly(1, "resume");
        context.Runtime.Resume(parsed.Positionals[0]);
        return 0;
    }
}
