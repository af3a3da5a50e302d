using System.Reflection;

namespace Berth.Cli.Cli;

/// <summary>Usage texts in docker's layout (its cobra templates): no leading blank line, flag tables wrapped.</summary>
internal static class HelpText
{
    public const string RootUseLine = "berth [OPTIONS] COMMAND [ARG...]";

    public static void WriteRoot(TextWriter output, FlagSet globalFlags, int width)
    {
        output.Write("Usage:  berth [OPTIONS] COMMAND\n\nA Docker-compatible container engine\n");
        var top = CommandRegistry.Entries.Where(e => !e.Paths[0].Contains(' ')).ToList();
        WriteSection(output, "Common Commands", CommandRegistry.CommonCommands
            .Select(name => top.FirstOrDefault(e => e.Paths[0] == name)).OfType<CommandEntry>().Select(e => (e.Paths[0], e.Short)));
        WriteSection(output, "Management Commands", CommandRegistry.Groups.Where(g => !g.Hidden).Select(g => (g.Name, g.Short)));
        WriteSection(output, "Commands", top.Where(e => !CommandRegistry.CommonCommands.Contains(e.Paths[0]))
            .OrderBy(e => e.Paths[0], StringComparer.Ordinal).Select(e => (e.Paths[0], e.Short)));
        output.Write($"\nGlobal Options:\n{FlagUsages.Wrapped(globalFlags.Flags, width - 1).TrimEnd()}\n");
        output.Write("\nRun 'berth COMMAND --help' for more information on a command.\n");
    }

    public static void WriteGroup(TextWriter output, CommandGroup group)
    {
        output.Write($"Usage:  berth {group.Name} COMMAND\n\n{group.Short}\n");
        WriteSection(output, "Commands", CommandRegistry.SubcommandsOf(group).Select(s => (s.Name, s.Entry.Short)));
        output.Write($"\nRun 'berth {group.Name} COMMAND --help' for more information on a command.\n");
    }

    public static void WriteCommand(TextWriter output, string commandPath, CliCommand command, FlagSet flags, CommandEntry entry, int width)
    {
        output.Write($"Usage:  {UseLine(commandPath, command)}\n\n{command.Long ?? command.Short}\n");
        if (entry.Paths.Length > 1)
            output.Write($"\nAliases:\n  {string.Join(", ", entry.AliasesInHelpOrder.Select(p => "berth " + p))}\n");
        var options = FlagUsages.Wrapped(flags.Flags, width - 1).TrimEnd();
        if (options.Length > 0)
            output.Write($"\nOptions:\n{options}\n");
    }

    /// <summary>cobra's <c>UseLine</c>: the command as invoked and its usage (<c>berth rm [OPTIONS] CONTAINER [CONTAINER...]</c>).</summary>
    public static string UseLine(string commandPath, CliCommand command) =>
        command.Usage.Length == 0 ? commandPath : $"{commandPath} {command.Usage}";

    /// <summary>Names padded to cobra's minimum of 11 columns plus one, as docker's help lists commands.</summary>
    private static void WriteSection(TextWriter output, string title, IEnumerable<(string Name, string Short)> commands)
    {
        output.Write($"\n{title}:\n");
        foreach (var (name, text) in commands)
            output.Write($"  {name,-11} {text}\n");
    }
}

/// <summary>The CLI's own version, printed by <c>version</c> and <c>--version</c>.</summary>
internal static class BuildInfo
{
    public static string Version => typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
    public static string GitCommit => Metadata("GitCommit") ?? "unknown";

    /// <summary>When the CLI was built (UTC, docker's layout), or empty when unknown.</summary>
    public static string BuildTime => Metadata("BuildTime") ?? "";

    private static string? Metadata(string key) =>
        typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
    public const string ApiVersion = Berth.Api.Client.BerthClient.ApiVersion;
}
