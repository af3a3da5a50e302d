namespace Berth.Runtime.Cli.Commands;

public static class DeleteCommand
{
    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args, Flag.Bool("force", "f"));
        if (parsed.Positionals.Count == 0) throw new UsageException("\"delete\" requires a minimum of 1 argument");
        var failed = false;
        foreach (var id in parsed.Positionals)
        {
            try
            {
                context.Runtime.Delete(id, parsed.Has("force"));
            }
            catch (RuntimeException e) when (parsed.Positionals.Count > 1)
            {
                Console.Error.WriteLine($"berth-runtime: {e.Message}");
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }
}
