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

    public Task<bool> HasChainAsync(string table, string chain, CancellationToken ct) => RunAsync(["-t", table, "-S", chain], ct, allowMissing: true);

    public Task CreateChainAsync(string table, string chain, CancellationToken ct) => RunAsync(["-t", table, "-N", chain], ct);

    public Task DeleteChainAsync(string table, string chain, CancellationToken ct) => RunAsync(["-t", table, "-X", chain], ct);

    /// <summary>The rules of <paramref name="chain"/> as <c>iptables -S</c> prints them, its "-N" line first.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string table, string chain, CancellationToken ct)
    {
        string[] arguments = ["-t", table, "-S", chain];
        var (exit, output, error) = await ExecuteAsync(arguments, ct);
        return exit == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries) : throw Failed(arguments, exit, error);
    }

    /// <summary>Runs iptables; exit 1 is "no such rule or chain" (false) when <paramref name="allowMissing"/>.</summary>
    private async Task<bool> RunAsync(string[] arguments, CancellationToken ct, bool allowMissing = false)
    {
        var (exit, _, error) = await ExecuteAsync(arguments, ct);
        if (exit == 0) return true;
        // 1: no such rule or chain; 2 with "does not exist": a jump to a chain that is not there (so no such rule)
        var missing = exit == 1 || (exit == 2 && error.Contains("does not exist", StringComparison.Ordinal));
        return missing && allowMissing ? false : throw Failed(arguments, exit, error);
    }

    private async Task<(int Exit, string Output, string Error)> ExecuteAsync(string[] arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Resolve()) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-w"); // wait for the xtables lock instead of failing beside another iptables
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
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
