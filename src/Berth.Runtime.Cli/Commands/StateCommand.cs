using System.Text.Json;
using Berth.Oci;

namespace Berth.Runtime.Cli.Commands;

public static class StateCommand
{
    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args);
        parsed.RequireExactly(1, "state");
        Console.WriteLine(JsonSerializer.Serialize(context.Runtime.GetState(parsed.Positionals[0]), OciJsonContext.Default.State));
        return 0;
    }
}
