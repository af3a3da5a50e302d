namespace Berth.Runtime.Cli.Commands;

public static class StartCommand
{
    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args);
        parsed.RequireExactly(1, "start");
        context.Runtime.Start(parsed.Positionals[0]);
        return 0;
    }
}
