using System.Diagnostics;
using System.Text.Json;

namespace Berth.Runtime.Cli.Commands;

/// <summary><c>ps [--format table|json] ID [ps options]</c>: the host's ps, filtered to the container's processes (runc's way).</summary>
public static class PsCommand
{
    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args, Flag.Value("format", "f"));
        var id = parsed.RequireId("ps");
        var pids = context.Runtime.Pids(id);
        var format = parsed.Get("format") ?? "table";
        if (format == "json")
        {
            Console.WriteLine(JsonSerializer.Serialize(pids.ToArray(), CliJsonContext.Default.Int32Array));
            return 0;
        }
        if (format != "table") throw new RuntimeException($"invalid format option: {format}");
        var psArgs = parsed.Positionals.Count > 1 ? parsed.Positionals.Skip(1).ToList() : ["-ef"];
        var info = new ProcessStartInfo("ps") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in psArgs) info.ArgumentList.Add(a);
        using var ps = Process.Start(info) ?? throw new RuntimeException("cannot run ps");
        var lines = ps.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        ps.WaitForExit();
        if (lines.Length == 0) return 0;
        var pidColumn = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
        if (pidColumn < 0) throw new RuntimeException("couldn't find PID field in ps output");
        Console.WriteLine(lines[0]);
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > pidColumn && int.TryParse(fields[pidColumn], out var pid) && pids.Contains(pid)) Console.WriteLine(line);
        }
        return 0;
    }
}
