using Berth.Registry;

const string usage = "usage: berth-registry serve|gc [options]   (berth-registry COMMAND --help)";
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(usage);
    return args.Length == 0 ? 2 : 0;
}
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
try
{
    var rest = args.Skip(1).ToArray();
    return args[0] switch
    {
        "serve" when rest.Contains("--help") => Print(ServeCommand.Usage),
        "gc" when rest.Contains("--help") => Print(GcCommand.Usage),
        "serve" => await ServeCommand.RunAsync(CommandLine.Parse(rest, ServeCommand.Options, ServeCommand.Flags), stop.Token),
        "gc" => await GcCommand.RunAsync(CommandLine.Parse(rest, GcCommand.Options, GcCommand.Flags), Console.Out, stop.Token),
        _ => throw new UsageException($"unknown command \"{args[0]}\"\n{usage}"),
    };
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync($"berth-registry: {e.Message}");
    return 2;
}

static int Print(string text)
{
    Console.WriteLine(text);
    return 0;
}
