using System.Reflection;

namespace Berth.Cli.Cli;

/// <summary>Usage texts in docker's layout.</summary>
internal static class HelpText
{
    public static void WriteRoot(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Usage:  berth [OPTIONS] COMMAND");
        output.WriteLine();
        output.WriteLine("A Docker-compatible container engine");
        output.WriteLine();
        output.WriteLine("Management Commands:");
        output.WriteLine("  container   Manage containers");
        output.WriteLine("  image       Manage images");
        output.WriteLine("  system      Manage Berth");
        output.WriteLine();
        output.WriteLine("Commands:");
        foreach (var entry in CommandRegistry.Entries.Where(e => !e.Paths[0].Contains(' ')).OrderBy(e => e.Paths[0], StringComparer.Ordinal))
            output.WriteLine($"  {entry.Paths[0],-10}  {entry.Short}");
        output.WriteLine();
        output.WriteLine("Global Options:");
        output.WriteLine("  -D, --debug              Enable debug mode");
        output.WriteLine("  -H, --host string        Daemon socket to connect to");
        output.WriteLine("  -l, --log-level string   Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\") (default \"info\")");
        output.WriteLine("  -v, --version            Print version information and quit");
        output.WriteLine();
        output.WriteLine("Run 'berth COMMAND --help' for more information on a command.");
    }

    public static void WriteGroup(TextWriter output, string group)
    {
        output.WriteLine();
        output.WriteLine($"Usage:  berth {group} COMMAND");
        output.WriteLine();
        output.WriteLine("Commands:");
        foreach (var entry in CommandRegistry.Entries)
        {
            var sub = entry.Paths.FirstOrDefault(p => p.StartsWith(group + " ", StringComparison.Ordinal));
            if (sub is not null)
                output.WriteLine($"  {sub[(group.Length + 1)..],-10}  {entry.Short}");
        }
        output.WriteLine();
        output.WriteLine($"Run 'berth {group} COMMAND --help' for more information on a command.");
    }

    public static void WriteCommand(TextWriter output, string commandPath, CliCommand command, FlagSet flags, CommandEntry entry)
    {
        output.WriteLine();
        output.WriteLine($"Usage:  {commandPath} {command.Usage}");
        output.WriteLine();
        output.WriteLine(command.Short);
        if (entry.Paths.Length > 1)
        {
            output.WriteLine();
            output.WriteLine("Aliases:");
            output.WriteLine("  " + string.Join(", ", entry.Paths.Select(p => "berth " + p)));
        }
        var visible = flags.Flags.Where(f => !f.Hidden).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        if (visible.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Options:");
            var lefts = visible.Select(Left).ToList();
            var width = lefts.Max(l => l.Length);
            for (var i = 0; i < visible.Count; i++)
            {
                var flag = visible[i];
                var text = flag.Usage + (flag.DefaultText is { } d ? $" (default {d})" : "");
                output.WriteLine($"{lefts[i].PadRight(width)}   {text}");
            }
        }
    }

    private static string Left(Flag flag)
    {
        var names = flag.Shorthand is { } s ? $"  -{s}, --{flag.Name}" : $"      --{flag.Name}";
        return flag.IsBool ? names : $"{names} {flag.ValueType}";
    }
}

/// <summary>The CLI's own version, printed by <c>version</c> and <c>--version</c>.</summary>
internal static class BuildInfo
{
    public static string Version => typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
    public static string GitCommit => "unknown";
    public const string ApiVersion = Berth.Api.Client.BerthClient.ApiVersion;
}
