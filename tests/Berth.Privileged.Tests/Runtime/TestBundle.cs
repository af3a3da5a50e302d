using System.Diagnostics;
using System.Text.Json;
using Berth.Oci;
using Berth.Oci.Runtime;
using Berth.Runtime.Containers;
using Berth.Testing;

namespace Berth.Privileged.Tests.Runtime;

public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout.TrimEnd('\n');
}

/// <summary>
/// An OCI bundle in a temp dir (a copy of the busybox rootfs, runc's default spec without a terminal) with its own
/// state root, run by the published berth-runtime (or any runtime with runc's command line). Disposing deletes the
/// container (--force) and the directories, so nothing outlives a test.
/// </summary>
public sealed class TestBundle : IDisposable
{
    private static int s_counter;

    public string Dir { get; }
    public string StateRoot { get; }
    public string Id { get; }
    public string Runtime { get; }
    public Spec Spec { get; } = DefaultSpec.Create();
    public string Rootfs => Path.Combine(Dir, "rootfs");

    public TestBundle(string? runtime = null)
    {
        Privileges.RequireRoot();
        Runtime = runtime ?? RepoPaths.Runtime;
        Assert.True(File.Exists(Runtime) || runtime is not null, $"{Runtime} is missing: run scripts/build.sh first");
        Assert.True(Directory.Exists(RepoPaths.BusyboxRootfs), $"{RepoPaths.BusyboxRootfs} is missing: run scripts/build.sh first");
        Dir = Directory.CreateTempSubdirectory("berth-bundle-").FullName;
        StateRoot = Path.Combine(Dir, "state");
        Id = $"t{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        Exec("cp", "-a", RepoPaths.BusyboxRootfs, Rootfs).EnsureSuccess("copy rootfs");
        Spec.Process!.Terminal = false;
        Spec.Hostname = "probe";
        Spec.Linux!.CgroupsPath = $"/berth-test-{Id}"; // top level: deleting the container removes all of it
    }

    /// <summary>The process runs <c>sh -c SCRIPT</c>.</summary>
    public TestBundle WithScript(string script)
    {
        Spec.Process!.Args = ["sh", "-c", script];
        return this;
    }

    public void WriteConfig() =>
        File.WriteAllText(Path.Combine(Dir, "config.json"), JsonSerializer.Serialize(Spec, OciJsonContext.Default.Spec));

    /// <summary><c>run</c> in the foreground: the probe's output and exit code.</summary>
    public CommandResult Run()
    {
        WriteConfig();
        return Cli("run", "--bundle", Dir, Id);
    }

    public CommandResult Cli(params string[] args) => Exec(Runtime, ["--root", StateRoot, .. args]);

    /// <summary>
    /// For commands that leave the container running (create, run --detach): the container inherits the command's
    /// stdio, as under runc, so it gets files here; a pipe would stay open as long as the container lives.
    /// </summary>
    public CommandResult CliDetached(params string[] args)
    {
        var stdout = Path.Combine(Dir, "container.out");
        var stderr = Path.Combine(Dir, "container.err");
        var result = Exec("/bin/sh", ["-c", "exec \"$0\" \"$@\" </dev/null >>\"$STDOUT\" 2>>\"$STDERR\"", Runtime, "--root", StateRoot, .. args],
            new() { ["STDOUT"] = stdout, ["STDERR"] = stderr });
        return result with { Stdout = File.ReadAllText(stdout), Stderr = File.ReadAllText(stderr) };
    }

    public static CommandResult Exec(string program, params string[] args) => Exec(program, args, []);

    private static CommandResult Exec(string program, string[] args, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = System.Diagnostics.Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 60 s");
        }
        return new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        Cli("delete", "--force", Id);
        Directory.Delete(Dir, recursive: true);
    }
}

public static class CommandResultExtensions
{
    public static CommandResult EnsureSuccess(this CommandResult result, string what)
    {
        Assert.True(result.ExitCode == 0, $"{what} failed ({result.ExitCode}): {result.Stderr}{result.Stdout}");
        return result;
    }
}
