using System.Text.Json;
using Berth.Oci.Runtime;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Cli.Commands;

/// <summary>
/// <c>exec [--process F | options] ID [COMMAND ARGS…]</c>. Without --process the container's own process is the
/// template (env, user, capabilities, rlimits), with the command and the given flags on top, as runc does.
/// </summary>
public static class ExecCommand
{
    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args,
            Flag.Value("process", "p"), Flag.Bool("tty", "t"), Flag.Value("cwd"), Flag.Many("env", "e"), Flag.Value("user", "u"),
            Flag.Many("additional-gids", "g"), Flag.Bool("detach", "d"), Flag.Value("pid-file"), Flag.Value("console-socket"),
            Flag.Many("cap", "c"), Flag.Bool("no-new-privs"), Flag.Value("apparmor"), Flag.Value("process-label"), Flag.Value("preserve-fds"));
        var id = parsed.RequireId("exec");
        var (record, _) = context.Runtime.Load(id);
        var process = parsed.Get("process") is { } file ? LoadProcess(file) : FromFlags(parsed, record.Spec.Process ?? new Process());
        var detach = parsed.Has("detach");
        using var foreground = ForegroundProcess.Prepare(process.Terminal && parsed.Get("console-socket") is null && !detach);
        var pid = context.Runtime.Exec(new ExecRequest(id, process, parsed.Get("console-socket") ?? foreground.ConsoleSocket, parsed.Get("pid-file")));
        if (detach) return 0;
        foreground.ReceiveConsole();
        return foreground.Wait(pid);
    }

    private static Process LoadProcess(string path)
    {
        try
        {
            return SpecReader.ReadProcess(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new RuntimeException($"{path}: {e.Message}", e);
        }
    }

    private static Process FromFlags(Arguments parsed, Process template)
    {
        if (parsed.Positionals.Count < 2) throw new UsageException("\"exec\" requires a minimum of 2 arguments");
        var process = new Process
        {
            Terminal = parsed.Has("tty"),
            Args = parsed.Positionals.Skip(1).ToList(),
            Env = [.. template.Env ?? [], .. parsed.GetAll("env")],
            Cwd = parsed.Get("cwd") ?? template.Cwd,
            User = new User { Uid = template.User.Uid, Gid = template.User.Gid, AdditionalGids = template.User.AdditionalGids, Umask = template.User.Umask },
            Capabilities = template.Capabilities,
            Rlimits = template.Rlimits,
            NoNewPrivileges = template.NoNewPrivileges || parsed.Has("no-new-privs"),
            OomScoreAdj = null,
        };
        if (parsed.Get("user") is { } user)
        {
            var parts = user.Split(':');
            if (!uint.TryParse(parts[0], out var uid) || parts.Length > 2 || (parts.Length == 2 && !uint.TryParse(parts[1], out _)))
                throw new RuntimeException($"parsing {user} as int for uid failed");
            process.User.Uid = uid;
            process.User.Gid = parts.Length == 2 ? uint.Parse(parts[1]) : 0;
        }
        if (parsed.GetAll("additional-gids") is { Count: > 0 } gids) process.User.AdditionalGids = gids.Select(uint.Parse).ToList();
        if (parsed.GetAll("cap") is { Count: > 0 } caps)
        {
            var given = template.Capabilities ?? new LinuxCapabilities();
            process.Capabilities = new LinuxCapabilities
            {
                Bounding = [.. given.Bounding ?? [], .. caps],
                Effective = [.. given.Effective ?? [], .. caps],
                Inheritable = given.Inheritable,
                Permitted = [.. given.Permitted ?? [], .. caps],
                Ambient = [.. given.Ambient ?? [], .. caps],
            };
        }
        return process;
    }
}
