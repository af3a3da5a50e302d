using System.Diagnostics;

namespace Berth.Network.Bridge;

/// <summary>
/// Runs the <c>iptables</c> program (on Debian 12, iptables-nft). Spawning is acceptable here only because rules
/// change at network create and remove and at daemon start, never per container.
/// </summary>
internal sealed class Iptables(string program)
{
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];
    private string? _path;

    /// <summary>True when the rule is in its chain (iptables -C).</summary>
    public Task<bool> HasAsync(FirewallRule rule, CancellationToken ct) => RunAsync(["-t", rule.Table, "-C", rule.Chain, .. rule.Spec], ct, allowMissing: true);

    public Task AppendAsync(FirewallRule rule, CancellationToken ct) => RunAsync(["-t", rule.Table, "-A", rule.Chain, .. rule.Spec], ct);

    public Task InsertFirstAsync(FirewallRule rule, CancellationToken ct) => RunAsync(["-t", rule.Table, "-I", rule.Chain, "1", .. rule.Spec], ct);

    public Task DeleteAsync(FirewallRule rule, CancellationToken ct) => RunAsync(["-t", rule.Table, "-D", rule.Chain, .. rule.Spec], ct);

    /// <summary>
    /// Deletes <paramref name="rules"/> in one <c>iptables-restore --noflush</c> (one process, not three per rule),
    /// which applies all or nothing: false, with nothing changed, when one of them is missing or the program is absent.
    /// </summary>
    public async Task<bool> TryDeleteAllAsync(IReadOnlyList<FirewallRule> rules, CancellationToken ct)
    {
        var restore = Resolve() + "-restore";
        if (!File.Exists(restore)) return false;
        var input = new System.Text.StringBuilder();
        foreach (var table in rules.GroupBy(r => r.Table))
        {
            input.Append('*').Append(table.Key).Append('\n');
            foreach (var rule in table) input.Append("-D ").Append(rule.Chain).Append(' ').AppendJoin(' ', rule.Spec).Append('\n');
            input.Append("COMMIT\n");
        }
        var (exit, _, _) = await ExecuteAsync(restore, ["--noflush"], ct, input.ToString());
        return exit == 0;
    }

    public Task<bool> HasChainAsync(string table, string chain, CancellationToken ct) => RunAsync(["-t", table, "-S", chain], ct, allowMissing: true);

    public Task CreateChainAsync(string table, string chain, CancellationToken ct) => RunAsync(["-t", table, "-N", chain], ct);

    /// <summary>Runs iptables; exit 1 is "no such rule or chain" (false) when <paramref name="allowMissing"/>.</summary>
    private async Task<bool> RunAsync(string[] arguments, CancellationToken ct, bool allowMissing = false)
    {
        var (exit, _, error) = await ExecuteAsync(Resolve(), arguments, ct);
        if (exit == 0) return true;
        // 1: no such rule or chain; 2 with "does not exist": a jump to a chain that is not there (so no such rule)
        var missing = exit == 1 || (exit == 2 && error.Contains("does not exist", StringComparison.Ordinal));
        return missing && allowMissing ? false : throw Failed(arguments, exit, error);
    }

    private static async Task<(int Exit, string Output, string Error)> ExecuteAsync(string file, string[] arguments, CancellationToken ct,
        string? input = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        start.ArgumentList.Add("-w"); // wait for the xtables lock instead of failing beside another iptables
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), ct);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await output, await error);
    }

    private static InvalidOperationException Failed(string[] arguments, int exit, string error) =>
        new($"iptables {string.Join(' ', arguments)} failed (exit {exit}): {error.Trim()}");

    /// <summary>The program's path: as given when it has a slash, else found on PATH or in the system directories (a
    /// daemon's PATH may lack /usr/sbin).</summary>
    private string Resolve()
    {
        if (_path is not null) return _path;
        if (program.Contains('/')) return _path = File.Exists(program) ? program : throw Missing(program);
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(SystemDirectories)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
        return _path = path ?? throw Missing(program);
    }

    private static InvalidOperationException Missing(string program) => new(
        $"{program} not found (looked on PATH and in /usr/sbin, /sbin): bridge networks need it for NAT and isolation; install the package `iptables`");
}
