using System.Diagnostics;
using Berth.Oci.Runtime;
using Berth.Runtime.State;

namespace Berth.Runtime.Hooks;

/// <summary>Runs OCI hooks in the runtime's namespace, with the container's state on stdin, each bounded by its timeout.</summary>
public static class HookRunner
{
    public static void Run(string phase, IEnumerable<Hook>? hooks, Oci.Runtime.State state)
    {
        var index = 0;
        foreach (var hook in hooks ?? [])
        {
            var error = RunOne(hook, StateStore.Serialize(state));
            if (error is not null) throw new RuntimeException($"error running {phase} hook #{index}: {error}");
            index++;
        }
    }

    private static string? RunOne(Hook hook, string stateJson)
    {
        var info = new ProcessStartInfo(hook.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (hook.Args ?? []).Skip(1)) info.ArgumentList.Add(arg);
        info.Environment.Clear();
        foreach (var entry in hook.Env ?? [])
        {
            var eq = entry.IndexOf('=');
            if (eq > 0) info.Environment[entry[..eq]] = entry[(eq + 1)..];
        }
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.Write(stateJson);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The hook need not read its stdin.
        }
        var timeout = hook.Timeout is > 0 ? TimeSpan.FromSeconds(hook.Timeout.Value) : Timeout.InfiniteTimeSpan;
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return $"timeout after {hook.Timeout} seconds";
        }
        return process.ExitCode == 0 ? null
            : $"exit status {process.ExitCode}, stdout: {stdout.Result.TrimEnd()}, stderr: {stderr.Result.TrimEnd()}";
    }
}
