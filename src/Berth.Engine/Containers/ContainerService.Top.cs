using System.Diagnostics;
using Berth.Engine.Tasks;

namespace Berth.Engine.Containers;

/// <summary>The processes of a container as <c>ps</c> shows them: Docker's <c>top</c>.</summary>
public sealed record ProcessTable(IReadOnlyList<string> Titles, IReadOnlyList<IReadOnlyList<string>> Processes);

public sealed partial class ContainerService
{
    /// <summary>
    /// Docker's top: runs the host's <c>ps</c> with <paramref name="psArgs"/> (default <c>-ef</c>) and keeps the rows
    /// whose PID is in the container's cgroup.
    /// </summary>
    public async Task<ProcessTable> TopAsync(string idOrName, string? psArgs, CancellationToken cancellationToken = default)
    {
        var container = Get(idOrName);
        if (container.State.Status == ContainerStatus.Restarting || container.Run is not { } run)
            throw new EngineException(ErrorKind.Conflict, $"container {container.Id} is not running");
        HashSet<int> pids;
        try
        {
            pids = [.. await run.Task.PidsAsync(cancellationToken)];
        }
        catch (Exception e) when (e is TaskFailedException or TaskGoneException)
        {
            throw new EngineException(ErrorKind.Conflict, $"container {container.Id} is not running", e);
        }

        var info = new ProcessStartInfo("ps") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (psArgs is { Length: > 0 } ? psArgs : "-ef").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            info.ArgumentList.Add(arg);
        using var ps = Process.Start(info) ?? throw new EngineException(ErrorKind.System, "ps did not start");
        var output = await ps.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = await ps.StandardError.ReadToEndAsync(cancellationToken);
        await ps.WaitForExitAsync(cancellationToken);
        if (ps.ExitCode != 0) throw new EngineException(ErrorKind.System, $"ps: {error.Trim()}");
        return Parse(output, pids);
    }

    /// <summary>The header names the columns; the last column (the command) may hold spaces.</summary>
    internal static ProcessTable Parse(string output, HashSet<int> pids)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var titles = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var pidColumn = Array.IndexOf(titles, "PID");
        if (pidColumn < 0) throw new EngineException(ErrorKind.System, "Couldn't find PID field in ps output");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', titles.Length, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length <= pidColumn || !int.TryParse(fields[pidColumn], out var pid) || !pids.Contains(pid)) continue;
            rows.Add(fields);
        }
        return new ProcessTable(titles, rows);
    }
}
