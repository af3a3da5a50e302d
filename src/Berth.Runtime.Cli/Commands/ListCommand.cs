using System.Text.Json;
using Berth.Oci;

namespace Berth.Runtime.Cli.Commands;

/// <summary><c>list [-q] [--format table|json]</c></summary>
public static class ListCommand
{
    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args, Flag.Value("format", "f"), Flag.Bool("quiet", "q"));
        var states = context.Runtime.List().ToList();
        if (parsed.Has("quiet"))
        {
            foreach (var s in states) Console.WriteLine(s.Id);
            return 0;
        }
        switch (parsed.Get("format") ?? "table")
        {
            case "json":
                Console.WriteLine(JsonSerializer.Serialize(states, OciJsonContext.Default.ListState).Replace("\n", "").Replace("  ", ""));
                return 0;
            case "table":
                var rows = new List<string[]> { new[] { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" } };
                rows.AddRange(states.Select(s => new[] { s.Id, s.Pid.ToString(), s.Status, s.Bundle, s.Created.ToString("O"), "root" }));
                Table.Write(rows);
                return 0;
            default:
                throw new RuntimeException($"invalid format option: {parsed.Get("format")}");
        }
    }
}

/// <summary>Columns as Go's tabwriter lays them out for runc (min width 12, padding 3).</summary>
public static class Table
{
    public static void Write(IReadOnlyList<string[]> rows)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
            for (var i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], Math.Max(12, row[i].Length + 3));
        foreach (var row in rows)
            Console.WriteLine(string.Concat(row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))));
    }
}
