using System.Diagnostics;

namespace Berth.EndToEnd.Tests;

public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout.TrimEnd('\n');

    public CommandResult Ok(string what)
    {
        Assert.True(ExitCode == 0, $"{what} exited {ExitCode}: {Stderr}{Stdout}");
        return this;
    }
}

/// <summary>Runs a client binary (the docker CLI, our berth CLI, script) with a bounded time, capturing its output.</summary>
public static class Commands
{
    public static CommandResult Run(string file, IEnumerable<string> args, string? stdin = null, int timeoutSeconds = 60,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        process.WaitForExit();
        return new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Runs <paramref name="commandLine"/> on a pseudo-terminal through util-linux <c>script</c> (the way a user at a
    /// terminal runs it), with the terminal sized <paramref name="rows"/>×<paramref name="columns"/>.
    /// </summary>
    public static CommandResult OnTerminal(string commandLine, int rows = 24, int columns = 80, int timeoutSeconds = 60) =>
        Run("script", ["-qec", $"stty rows {rows} cols {columns}; {commandLine}", "/dev/null"], timeoutSeconds: timeoutSeconds);
}
